// Builds the front-end assets into platform/static/dist/ (build output, not
// kept in version control):
//
//   app.css                    frontend/app.scss compiled (GOV.UK Frontend from
//                              its Sass source plus the project's styles)
//   govuk-frontend.min.js(.map) GOV.UK Frontend's ES module build
//   htmx.min.js                htmx
//   assets/                    the GOV.UK Frontend images that app.css refers to
//
// Run with `npm run build`. The output directory is emptied first, so running
// the build twice gives the same result. Any error stops the build with a
// non-zero exit code.

import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, posix, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

import * as sass from 'sass'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'package.json'))

const entry = join(root, 'frontend', 'app.scss')
const outDir = join(root, 'platform', 'static', 'dist')
const assetsOutDir = join(outDir, 'assets')

// The prefix app.scss gives $govuk-assets-path: url()s are relative to app.css.
const assetsUrlPrefix = 'assets/'

// GOV.UK-branded files (crown, crest, GOV.UK icons and favicons, the GOV.UK
// sharing image) and the GDS Transport fonts are for GOV.UK alone.
const forbiddenAsset = /crown|crest|govuk-|favicon|opengraph|^fonts\//i

function packageDir (name) {
  return dirname(require.resolve(`${name}/package.json`))
}

function fail (message) {
  throw new Error(message)
}

function copy (from, to) {
  if (!existsSync(from)) fail(`missing source file: ${relative(root, from)}`)
  mkdirSync(dirname(to), { recursive: true })
  copyFileSync(from, to)
  return to
}

function build () {
  const govukDist = join(packageDir('govuk-frontend'), 'dist', 'govuk')
  const htmxDist = join(packageDir('htmx.org'), 'dist')

  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(assetsOutDir, { recursive: true })

  // 1. Stylesheet
  const result = sass.compile(entry, {
    loadPaths: [join(root, 'node_modules')],
    style: 'compressed',
    sourceMap: false,
    quietDeps: true,
    // Turn every warning into a failure: a build that only warns is
    // easily missed.
    logger: {
      warn (message, { deprecation, span }) {
        const where = span ? ` (${span.url ? relative(root, fileURLToPath(span.url)) : 'stdin'}:${span.start.line + 1})` : ''
        fail(`Sass ${deprecation ? 'deprecation ' : ''}warning${where}: ${message}`)
      }
    }
  })
  const css = result.css

  for (const banned of ['GDS Transport', 'crown', '@font-face']) {
    if (css.toLowerCase().includes(banned.toLowerCase())) {
      fail(`app.css must not contain "${banned}"`)
    }
  }
  writeFileSync(join(outDir, 'app.css'), css + '\n')

  // 2. The GOV.UK Frontend assets that app.css refers to
  const assets = new Set()
  for (const match of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
    const url = match[2]
    if (url.startsWith('data:') || url.startsWith('#')) continue
    if (!url.startsWith(assetsUrlPrefix)) {
      fail(`app.css refers to ${url}, outside ${assetsUrlPrefix}: set $govuk-assets-path in app.scss`)
    }
    assets.add(posix.normalize(url.slice(assetsUrlPrefix.length).split(/[?#]/)[0]))
  }
  for (const asset of [...assets].sort()) {
    if (asset.startsWith('..') || forbiddenAsset.test(asset)) {
      fail(`app.css refers to ${asset}, which must not be used here (GOV.UK-branded or a font)`)
    }
    copy(join(govukDist, 'assets', asset), join(assetsOutDir, asset))
  }

  // 3. Scripts (the source map too: hashed static file storage follows the
  //    sourceMappingURL comment and fails when the map is missing)
  const scripts = [
    copy(join(govukDist, 'govuk-frontend.min.js'), join(outDir, 'govuk-frontend.min.js')),
    copy(join(govukDist, 'govuk-frontend.min.js.map'), join(outDir, 'govuk-frontend.min.js.map')),
    copy(join(htmxDist, 'htmx.min.js'), join(outDir, 'htmx.min.js'))
  ]

  const { version: govukVersion } = require('govuk-frontend/package.json')
  const { version: htmxVersion } = require('htmx.org/package.json')
  console.log(`Built ${relative(root, outDir)}/ with govuk-frontend ${govukVersion}, htmx ${htmxVersion}, sass ${sass.info.split('\t')[1]}`)
  console.log(`  app.css (${css.length} bytes)`)
  for (const script of scripts) console.log(`  ${relative(outDir, script)}`)
  console.log(`  assets/: ${assets.size ? [...assets].sort().join(', ') : 'none referenced'}`)
}

try {
  build()
} catch (error) {
  console.error(`Front-end build failed: ${error.message ?? error}`)
  process.exit(1)
}
