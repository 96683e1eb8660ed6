import SQLiteEngine

extension Migrations {
    /// Version 4: default invoicing settings, market segments (a managed tree), industries (a
    /// managed list replacing the free-text column), and files and links of customers and projects
    /// (the customer card's customer-settings and customer-details parts).
    static let customerSettings = Migration(version: 5, name: "customer settings, segments, industries, files and links",
                                            sql: """
        -- One row per customer; no row means every setting is at its documented default.
        CREATE TABLE customer_settings (
            customer_id INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
            invoice_channel TEXT CHECK (invoice_channel IN ('email', 'eInvoice', 'paper')),
            invoice_email TEXT,
            e_invoice_address TEXT,
            e_invoice_operator TEXT,
            payment_term_days INTEGER CHECK (payment_term_days BETWEEN 0 AND 365),
            currency TEXT CHECK (length(currency) = 3),
            -- An exact decimal as text ("25.5"): REAL would store 25.5 exactly but not 14.1.
            vat_rate TEXT,
            invoice_language TEXT,
            reference TEXT CHECK (length(reference) <= 70),
            invoice_template TEXT CHECK (length(invoice_template) <= 100),
            version INTEGER NOT NULL DEFAULT 1,
            updated_at INTEGER NOT NULL,
            updated_by INTEGER NOT NULL REFERENCES users(id),
            CHECK (invoice_channel IS NOT 'email' OR invoice_email IS NOT NULL),
            CHECK (invoice_channel IS NOT 'eInvoice' OR (e_invoice_address IS NOT NULL AND e_invoice_operator IS NOT NULL))
        );
        CREATE INDEX customer_settings_by_updated_by ON customer_settings (updated_by);

        -- Market segments: a tree. NOCASE: "Retail" and "retail" under one parent are one name.
        CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            parent_id INTEGER REFERENCES segments(id),
            name TEXT NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 100)
        );
        -- NULLs are distinct in a UNIQUE index (SQLite docs, "CREATE INDEX"), so top-level names
        -- are made comparable through ifnull; the indexed column keeps its NOCASE collation.
        CREATE UNIQUE INDEX segments_by_parent_name ON segments (ifnull(parent_id, 0), name);
        CREATE INDEX segments_by_parent ON segments (parent_id);
        -- Segmentation is a setting of the customer: it goes with the customer.
        CREATE TABLE customer_segments (
            customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            segment_id INTEGER NOT NULL REFERENCES segments(id),
            PRIMARY KEY (customer_id, segment_id)
        ) WITHOUT ROWID;
        CREATE INDEX customer_segments_by_segment ON customer_segments (segment_id, customer_id);

        -- Industries: a managed list. The existing free-text values become its entries (the first
        -- spelling of names equal ignoring case wins) and each customer points at its entry.
        CREATE TABLE industries (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 100)
        );
        INSERT OR IGNORE INTO industries (name)
        SELECT substr(trim(industry), 1, 100) FROM customers WHERE trim(industry) <> '' ORDER BY id;
        -- SQLite allows ADD COLUMN ... REFERENCES only with a NULL default (ALTER TABLE docs), which it is.
        ALTER TABLE customers ADD COLUMN industry_id INTEGER REFERENCES industries(id);
        -- "name = ..." compares with the column's NOCASE collation (SQLite docs, "Collating Sequences").
        UPDATE customers SET industry_id = (SELECT i.id FROM industries i WHERE i.name = substr(trim(customers.industry), 1, 100))
        WHERE trim(industry) <> '';
        -- The text now lives in the list only (DROP COLUMN: SQLite 3.35+; the column is in no index,
        -- view, trigger or constraint).
        ALTER TABLE customers DROP COLUMN industry;
        CREATE INDEX customers_by_industry ON customers (industry_id) WHERE industry_id IS NOT NULL;

        -- Files: metadata here, content on disk addressed by its SHA-256 ("<database>.files/aa/bb/<hex>").
        -- project_id has no foreign key yet: the projects table comes with another migration; the
        -- store checks the project (same customer) when a projects table exists.
        CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            project_id INTEGER,
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255 AND instr(name, '/') = 0),
            size INTEGER NOT NULL CHECK (size >= 0),
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            content_type TEXT,
            created_at INTEGER NOT NULL,
            created_by INTEGER NOT NULL REFERENCES users(id),
            updated_at INTEGER NOT NULL,
            updated_by INTEGER NOT NULL REFERENCES users(id)
        );
        CREATE INDEX files_by_customer ON files (customer_id, id);
        -- "Is this blob still referenced?" after a removal.
        CREATE INDEX files_by_sha256 ON files (sha256);
        CREATE INDEX files_by_project ON files (project_id) WHERE project_id IS NOT NULL;

        CREATE TABLE links (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            project_id INTEGER,
            url TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
            title TEXT CHECK (length(title) <= 200),
            created_at INTEGER NOT NULL,
            created_by INTEGER NOT NULL REFERENCES users(id),
            updated_at INTEGER NOT NULL,
            updated_by INTEGER NOT NULL REFERENCES users(id)
        );
        CREATE INDEX links_by_customer ON links (customer_id, id);
        CREATE INDEX links_by_project ON links (project_id) WHERE project_id IS NOT NULL;
        """)
}
