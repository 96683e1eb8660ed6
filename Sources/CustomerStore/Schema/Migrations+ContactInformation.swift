import SQLiteEngine

extension Migrations {
    /// Version 3: addresses with the head office, contact persons, keywords and roles, activities and
    /// the change history (the customer card's contact-information tab).
    static let contactInformation = Migration(version: 3, name: "contact information", sql: """
        CREATE TABLE addresses (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            -- Street lines are stored packed: a line is only set when the ones before it are.
            street1 TEXT,
            street2 TEXT CHECK (street2 IS NULL OR street1 IS NOT NULL),
            street3 TEXT CHECK (street3 IS NULL OR street2 IS NOT NULL),
            postal_code TEXT,
            city TEXT,
            region TEXT,
            country TEXT NOT NULL CHECK (length(country) = 2),
            kind TEXT NOT NULL DEFAULT 'visiting' CHECK (kind IN ('visiting', 'postal', 'billing', 'delivery')),
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            created_by INTEGER NOT NULL REFERENCES users(id),
            updated_at INTEGER NOT NULL,
            updated_by INTEGER NOT NULL REFERENCES users(id)
        );
        CREATE INDEX addresses_by_customer ON addresses (customer_id, id);

        -- The head office is a column of the customer, so a customer has at most one BY CONSTRUCTION;
        -- the triggers below keep "a customer with addresses has exactly one, and it is its own".
        -- SQLite allows ADD COLUMN ... REFERENCES only with a NULL default (ALTER TABLE docs), which it is.
        -- ON DELETE SET NULL: removing the last address leaves the customer without a head office.
        -- The unique index also serves the foreign-key lookup when an address is deleted.
        ALTER TABLE customers ADD COLUMN head_office_address_id INTEGER REFERENCES addresses(id) ON DELETE SET NULL;
        CREATE UNIQUE INDEX customers_by_head_office ON customers (head_office_address_id);

        -- An address row needs its customer first (foreign key), so a new customer cannot name one.
        CREATE TRIGGER customers_head_office_on_insert BEFORE INSERT ON customers
        WHEN NEW.head_office_address_id IS NOT NULL
        BEGIN
            SELECT RAISE(ABORT, 'the head office must be an address of the same customer');
        END;
        CREATE TRIGGER customers_head_office_on_update BEFORE UPDATE OF head_office_address_id ON customers
        BEGIN
            SELECT RAISE(ABORT, 'the head office must be an address of the same customer')
            WHERE NEW.head_office_address_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM addresses WHERE id = NEW.head_office_address_id AND customer_id = NEW.id);
            SELECT RAISE(ABORT, 'a customer with addresses must have a head office')
            WHERE NEW.head_office_address_id IS NULL
              AND EXISTS (SELECT 1 FROM addresses WHERE customer_id = NEW.id);
        END;
        -- The first address of a customer becomes its head office, in the same statement.
        CREATE TRIGGER addresses_first_is_head_office AFTER INSERT ON addresses
        WHEN (SELECT head_office_address_id FROM customers WHERE id = NEW.customer_id) IS NULL
        BEGIN
            UPDATE customers SET head_office_address_id = NEW.id WHERE id = NEW.customer_id;
        END;
        -- While other addresses exist the head office must be moved before it can go. When the
        -- customer itself is deleted its row is gone before the cascade runs, so this does not fire.
        CREATE TRIGGER addresses_keep_head_office BEFORE DELETE ON addresses
        WHEN OLD.id = (SELECT head_office_address_id FROM customers WHERE id = OLD.customer_id)
          AND EXISTS (SELECT 1 FROM addresses WHERE customer_id = OLD.customer_id AND id <> OLD.id)
        BEGIN
            SELECT RAISE(ABORT, 'the head office cannot be removed while the customer has other addresses');
        END;
        CREATE TRIGGER addresses_stay_with_their_customer BEFORE UPDATE OF customer_id ON addresses
        WHEN NEW.customer_id IS NOT OLD.customer_id
        BEGIN
            SELECT RAISE(ABORT, 'an address cannot move to another customer');
        END;

        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            -- Tombstones go with their customer; live contacts block its deletion (trigger below).
            customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            first_name TEXT,
            last_name TEXT,
            title TEXT,
            email TEXT,
            phone TEXT,
            mobile TEXT,
            language TEXT,
            notes TEXT,
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            created_by INTEGER NOT NULL REFERENCES users(id),
            updated_at INTEGER NOT NULL,
            updated_by INTEGER NOT NULL REFERENCES users(id),
            CHECK (deleted = 1 OR first_name IS NOT NULL OR last_name IS NOT NULL),
            -- A tombstone holds no personal data: the erasure is a rule of the schema, not only of the code.
            CHECK (deleted = 0 OR (active = 0 AND coalesce(first_name, last_name, title, email, phone, mobile,
                                                           language, notes) IS NULL))
        );
        CREATE INDEX contacts_by_customer ON contacts (customer_id, id);
        CREATE TRIGGER customers_keep_live_contacts BEFORE DELETE ON customers
        WHEN EXISTS (SELECT 1 FROM contacts WHERE customer_id = OLD.id AND deleted = 0)
        BEGIN
            SELECT RAISE(ABORT, 'a customer with contacts cannot be deleted');
        END;

        -- Keywords and roles: managed lists shared by all customers. NOCASE: "VIP" and "vip" are one label.
        CREATE TABLE labels (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('keyword', 'role')),
            name TEXT NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 100),
            UNIQUE (kind, name)
        );
        -- Both directions are indexed: a contact's labels (primary key) and a label's contacts.
        CREATE TABLE contact_labels (
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            label_id INTEGER NOT NULL REFERENCES labels(id),
            PRIMARY KEY (contact_id, label_id)
        ) WITHOUT ROWID;
        CREATE INDEX contact_labels_by_label ON contact_labels (label_id, contact_id);

        CREATE TABLE activities (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            kind TEXT NOT NULL CHECK (kind IN ('note', 'task', 'event')),
            -- The note's text for a note.
            subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 4000),
            due_at INTEGER,
            starts_at INTEGER,
            ends_at INTEGER,
            assignee_id INTEGER REFERENCES users(id),
            contact_id INTEGER REFERENCES contacts(id),
            completed_at INTEGER,
            completed_by INTEGER REFERENCES users(id),
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            created_by INTEGER NOT NULL REFERENCES users(id),
            updated_at INTEGER NOT NULL,
            updated_by INTEGER NOT NULL REFERENCES users(id),
            CHECK (kind = 'task' OR (due_at IS NULL AND assignee_id IS NULL AND completed_at IS NULL)),
            CHECK (kind = 'event' OR (starts_at IS NULL AND ends_at IS NULL)),
            CHECK (kind <> 'event' OR (starts_at IS NOT NULL AND ends_at IS NOT NULL AND ends_at >= starts_at)),
            CHECK ((completed_at IS NULL) = (completed_by IS NULL))
        );
        CREATE INDEX activities_by_customer ON activities (customer_id);
        -- Partial indexes still serve the foreign-key lookups: "x = ?" implies "x IS NOT NULL"
        -- (SQLite docs, "Partial Indexes", 3.1).
        CREATE INDEX activities_by_contact ON activities (contact_id) WHERE contact_id IS NOT NULL;
        CREATE INDEX activities_by_assignee ON activities (assignee_id) WHERE assignee_id IS NOT NULL;
        CREATE TRIGGER activities_contact_of_customer_on_insert BEFORE INSERT ON activities
        WHEN NEW.contact_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM contacts WHERE id = NEW.contact_id AND customer_id = NEW.customer_id)
        BEGIN
            SELECT RAISE(ABORT, 'the contact of an activity must belong to the same customer');
        END;
        CREATE TRIGGER activities_contact_of_customer_on_update BEFORE UPDATE OF contact_id, customer_id ON activities
        WHEN NEW.contact_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM contacts WHERE id = NEW.contact_id AND customer_id = NEW.customer_id)
        BEGIN
            SELECT RAISE(ABORT, 'the contact of an activity must belong to the same customer');
        END;

        -- Everything the card's activity list shows, in one shape. Project tasks of the customer's
        -- projects join later as one more UNION ALL branch (with project_id and project_name set);
        -- SQLite pushes "customer_id = ?" down into every branch of a compound view.
        CREATE VIEW customer_activity_items AS
        SELECT id, customer_id, kind, subject, due_at, starts_at, ends_at, assignee_id, contact_id,
               completed_at, completed_by, NULL AS project_id, NULL AS project_name,
               version, created_at, created_by, updated_at, updated_by
        FROM activities;

        -- The change history. No foreign key to the entity or its customer: the history outlives them.
        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            entity TEXT NOT NULL CHECK (entity IN ('customer', 'address', 'contact')),
            entity_id INTEGER NOT NULL,
            customer_id INTEGER NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('created', 'updated', 'deactivated', 'activated', 'deleted',
                                                   'headOfficeSet', 'tagged', 'untagged')),
            at INTEGER NOT NULL,
            by_user INTEGER NOT NULL REFERENCES users(id)
        );
        CREATE INDEX history_by_entity ON history (entity, entity_id, id);
        CREATE INDEX history_by_customer ON history (customer_id, id);
        -- One row per changed field, so erasing a person's values is an UPDATE of plain columns.
        CREATE TABLE history_changes (
            history_id INTEGER NOT NULL REFERENCES history(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            erased INTEGER NOT NULL DEFAULT 0 CHECK (erased IN (0, 1)),
            CHECK (erased = 0 OR (old_value IS NULL AND new_value IS NULL)),
            PRIMARY KEY (history_id, position)
        ) WITHOUT ROWID;
        """)
}
