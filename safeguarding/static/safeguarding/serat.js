// The SERAT's running total: as items are scored, add up the chosen scores and show the level the
// instrument's own bands give that total. The items and bands come from the page (a JSON script tag the
// server renders from the instrument in force); no threshold is written here. Without JavaScript the
// form works the same and the total is not shown.

const data = JSON.parse(document.getElementById('serat-instrument').textContent)
const form = document.querySelector('[data-serat-form]')
const panel = document.querySelector('[data-serat-total]')

function bandFor (total) {
  return data.bands.find((band) => band.minimum <= total && total <= band.maximum) || null
}

function update () {
  let total = 0
  let scored = 0
  for (const item of data.items) {
    const chosen = form.querySelector(`input[name="${CSS.escape(item.code)}"]:checked`)
    if (chosen) {
      total += Number(chosen.value)
      scored += 1
    }
  }
  panel.querySelector('[data-serat-points]').textContent = String(total)
  panel.querySelector('[data-serat-scored]').textContent = String(scored)
  const tag = panel.querySelector('[data-serat-level]')
  const band = bandFor(total)
  for (const other of data.bands) tag.classList.remove(`app-level--${other.level}`)
  if (band) {
    tag.classList.add(`app-level--${band.level}`)
    tag.textContent = band.label
    tag.dataset.level = band.level
  } else {
    tag.textContent = ''
    tag.dataset.level = ''
  }
}

if (form && panel) {
  panel.hidden = false
  form.addEventListener('change', update)
  update()
}
