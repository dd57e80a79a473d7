from django.db import migrations

# A version that has left the draft stage never changes, whoever connects: assessments keep the version
# they were made with (FRAMEWORK.md §1), so its items, thresholds and title are fixed in the database
# itself. Its status may still move on (published to retired), and a published version is never deleted.
IMMUTABLE = """
CREATE OR REPLACE FUNCTION instruments_refuse_published_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.published_at IS NOT NULL THEN
            RAISE EXCEPTION 'instrument % version % was published and cannot be deleted', OLD.kind, OLD.version;
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' AND (
        (NEW.kind, NEW.version, NEW.title, NEW.items, NEW.bands, NEW.notice, NEW.published_at)
        IS DISTINCT FROM (OLD.kind, OLD.version, OLD.title, OLD.items, OLD.bands, OLD.notice, OLD.published_at)
        OR NEW.status = 'draft'
        OR (OLD.status = 'retired' AND NEW.status <> 'retired')
    ) THEN
        RAISE EXCEPTION 'instrument % version % is %: it cannot be changed', OLD.kind, OLD.version, OLD.status;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER instruments_instrumentversion_immutable
    BEFORE UPDATE OR DELETE ON instruments_instrumentversion
    FOR EACH ROW EXECUTE FUNCTION instruments_refuse_published_change();
"""
REVERSE = """
DROP TRIGGER IF EXISTS instruments_instrumentversion_immutable ON instruments_instrumentversion;
DROP FUNCTION IF EXISTS instruments_refuse_published_change();
"""


class Migration(migrations.Migration):
    dependencies = [("instruments", "0002_default_instruments")]
    operations = [migrations.RunSQL(IMMUTABLE, REVERSE)]
