import SQLiteEngine

extension Migrations {
    /// Version 4: sales cases and projects, project tasks (also in the activity list), collaboration
    /// notes, monthly forecasts, invoices with their issue-time snapshot, and a history that accepts
    /// the new entities and actions.
    static let projects = Migration(version: 4, name: "projects, collaboration, forecasts and invoices", sql: """
        -- One row is a sales case or a project. Winning a sales case turns the SAME row into a project
        -- (it keeps its id, history, tasks and notes), so the sales fields stay on a won project.
        CREATE TABLE projects (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            kind TEXT NOT NULL CHECK (kind IN ('salesCase', 'project')),
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            stage TEXT CHECK (length(stage) BETWEEN 1 AND 50),
            probability INTEGER CHECK (probability BETWEEN 0 AND 100),
            -- Money is exact decimal text ("12500.00"), never REAL: it is added up in Swift with Decimal.
            expected_value TEXT,
            expected_currency TEXT CHECK (length(expected_currency) = 3),
            -- Dates are 'YYYY-MM-DD' text: their text order is their time order.
            expected_close TEXT,
            outcome TEXT CHECK (outcome IN ('open', 'won', 'lost')),
            lost_reason TEXT,
            number INTEGER UNIQUE CHECK (number > 0),
            status TEXT CHECK (status IN ('open', 'closed')),
            manager_id INTEGER REFERENCES users(id),
            starts_on TEXT,
            ends_on TEXT,
            currency TEXT CHECK (length(currency) = 3),
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            created_by INTEGER NOT NULL REFERENCES users(id),
            updated_at INTEGER NOT NULL,
            updated_by INTEGER NOT NULL REFERENCES users(id),
            -- A sales case is open or lost and has no project fields; a project has a number and a status.
            CHECK (kind = 'project' OR (outcome IN ('open', 'lost') AND number IS NULL AND status IS NULL
                                        AND manager_id IS NULL AND starts_on IS NULL AND ends_on IS NULL
                                        AND currency IS NULL)),
            CHECK (kind = 'salesCase' OR (number IS NOT NULL AND status IS NOT NULL
                                          AND (outcome IS NULL OR outcome = 'won'))),
            CHECK ((outcome IS 'lost') = (lost_reason IS NOT NULL)),
            CHECK (ends_on >= starts_on OR ends_on IS NULL OR starts_on IS NULL)
        );
        CREATE INDEX projects_by_customer ON projects (customer_id, id);
        CREATE INDEX projects_by_manager ON projects (manager_id) WHERE manager_id IS NOT NULL;
        CREATE INDEX projects_by_created_by ON projects (created_by);
        CREATE INDEX projects_by_updated_by ON projects (updated_by);
        -- The last project number handed out, so a number is never reused.
        CREATE TABLE project_number_sequence (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            last_number INTEGER NOT NULL
        );
        INSERT INTO project_number_sequence (singleton, last_number) VALUES (1, 1000);

        CREATE TABLE project_tasks (
            id INTEGER PRIMARY KEY,
            project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            assignee_id INTEGER REFERENCES users(id),
            due_on TEXT,
            status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'done')),
            completed_at INTEGER,
            completed_by INTEGER REFERENCES users(id),
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            created_by INTEGER NOT NULL REFERENCES users(id),
            updated_at INTEGER NOT NULL,
            updated_by INTEGER NOT NULL REFERENCES users(id),
            CHECK ((status = 'done') = (completed_at IS NOT NULL)),
            CHECK ((completed_at IS NULL) = (completed_by IS NULL))
        );
        CREATE INDEX project_tasks_by_project ON project_tasks (project_id, id);
        CREATE INDEX project_tasks_by_assignee ON project_tasks (assignee_id) WHERE assignee_id IS NOT NULL;

        CREATE TABLE collaboration_notes (
            id INTEGER PRIMARY KEY,
            project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            author_id INTEGER NOT NULL REFERENCES users(id),
            text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
            created_at INTEGER NOT NULL
        );
        CREATE INDEX collaboration_notes_by_project ON collaboration_notes (project_id, id);
        CREATE INDEX collaboration_notes_by_author ON collaboration_notes (author_id);

        -- One row per project and month; the primary key is the upsert's conflict target.
        CREATE TABLE forecasts (
            project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
            revenue TEXT NOT NULL,
            cost TEXT NOT NULL,
            billing TEXT NOT NULL,
            hours TEXT NOT NULL,
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            updated_at INTEGER NOT NULL,
            updated_by INTEGER NOT NULL REFERENCES users(id),
            PRIMARY KEY (project_id, month)
        ) WITHOUT ROWID;
        CREATE INDEX forecasts_by_updated_by ON forecasts (updated_by);

        -- An invoice copies what it says at issue time (customer, head office, contact, settings):
        -- later edits or the contact's deletion do not change an issued invoice.
        CREATE TABLE invoices (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            number INTEGER NOT NULL UNIQUE CHECK (number > 0),
            issued_at INTEGER NOT NULL,
            issued_by INTEGER NOT NULL REFERENCES users(id),
            customer_name TEXT NOT NULL,
            customer_number INTEGER NOT NULL,
            vat_number TEXT,
            street1 TEXT,
            street2 TEXT,
            street3 TEXT,
            postal_code TEXT,
            city TEXT,
            region TEXT,
            -- NULL when the customer had no head office at issue time.
            country TEXT CHECK (length(country) = 2),
            contact_id INTEGER REFERENCES contacts(id),
            contact_name TEXT,
            settings TEXT,
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            total TEXT NOT NULL,
            description TEXT,
            CHECK ((contact_id IS NULL) = (contact_name IS NULL))
        );
        CREATE INDEX invoices_by_customer ON invoices (customer_id, id);
        CREATE INDEX invoices_by_contact ON invoices (contact_id) WHERE contact_id IS NOT NULL;
        CREATE INDEX invoices_by_issued_by ON invoices (issued_by);
        CREATE TABLE invoice_number_sequence (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            last_number INTEGER NOT NULL
        );
        INSERT INTO invoice_number_sequence (singleton, last_number) VALUES (1, 0);

        -- Project tasks join the card's activity list as the branch version 3 left room for. A due
        -- date reads as its midnight UTC in milliseconds, the unit of the other branches.
        DROP VIEW customer_activity_items;
        CREATE VIEW customer_activity_items AS
        SELECT id, customer_id, kind, subject, due_at, starts_at, ends_at, assignee_id, contact_id,
               completed_at, completed_by, NULL AS project_id, NULL AS project_name,
               version, created_at, created_by, updated_at, updated_by
        FROM activities
        UNION ALL
        SELECT t.id, p.customer_id, 'projectTask', t.name, CAST(strftime('%s', t.due_on) AS INTEGER) * 1000, NULL, NULL,
               t.assignee_id, NULL, t.completed_at, t.completed_by, p.id, p.name,
               t.version, t.created_at, t.created_by, t.updated_at, t.updated_by
        FROM project_tasks t JOIN projects p ON p.id = t.project_id;

        -- The history's entities and actions were CHECK lists, which SQLite cannot alter in place (ALTER
        -- TABLE has no such form). They become two lookup tables, so a later value is one INSERT, not
        -- another rebuild. The rebuild below keeps every row and id. history_changes is rebuilt too:
        -- with foreign keys on, DROP TABLE history would first delete its rows and cascade into it
        -- (SQLite docs, "DROP TABLE"), and RENAME rewrites references to the new name (since 3.26).
        CREATE TABLE history_entities (name TEXT PRIMARY KEY) WITHOUT ROWID;
        INSERT INTO history_entities (name) VALUES ('customer'), ('address'), ('contact'), ('project'),
            ('projectTask'), ('collaborationNote'), ('invoice');
        CREATE TABLE history_actions (name TEXT PRIMARY KEY) WITHOUT ROWID;
        INSERT INTO history_actions (name) VALUES ('created'), ('updated'), ('deactivated'), ('activated'),
            ('deleted'), ('headOfficeSet'), ('tagged'), ('untagged'), ('won'), ('lost'), ('completed'),
            ('reopened'), ('forecastSet'), ('forecastRemoved'), ('issued');
        CREATE TABLE history_rebuilt (
            id INTEGER PRIMARY KEY,
            entity TEXT NOT NULL REFERENCES history_entities(name),
            entity_id INTEGER NOT NULL,
            customer_id INTEGER NOT NULL,
            action TEXT NOT NULL REFERENCES history_actions(name),
            at INTEGER NOT NULL,
            by_user INTEGER NOT NULL REFERENCES users(id)
        );
        INSERT INTO history_rebuilt (id, entity, entity_id, customer_id, action, at, by_user)
            SELECT id, entity, entity_id, customer_id, action, at, by_user FROM history;
        CREATE TABLE history_changes_rebuilt (
            history_id INTEGER NOT NULL REFERENCES history_rebuilt(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            erased INTEGER NOT NULL DEFAULT 0 CHECK (erased IN (0, 1)),
            CHECK (erased = 0 OR (old_value IS NULL AND new_value IS NULL)),
            PRIMARY KEY (history_id, position)
        ) WITHOUT ROWID;
        INSERT INTO history_changes_rebuilt (history_id, position, field, old_value, new_value, erased)
            SELECT history_id, position, field, old_value, new_value, erased FROM history_changes;
        DROP TABLE history_changes;
        DROP TABLE history;
        ALTER TABLE history_rebuilt RENAME TO history;
        ALTER TABLE history_changes_rebuilt RENAME TO history_changes;
        CREATE INDEX history_by_entity ON history (entity, entity_id, id);
        CREATE INDEX history_by_customer ON history (customer_id, id);
        CREATE INDEX history_by_user ON history (by_user);
        """)
}
