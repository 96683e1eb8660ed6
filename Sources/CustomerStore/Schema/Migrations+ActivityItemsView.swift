import SQLiteEngine

extension Migrations {
    /// Version 18: the view `customer_activity_items` goes. Its one reader, the activity list
    /// (`ActivityRow`), selects from `activities` and `project_tasks` itself: SQLite read the view
    /// as a co-routine and joined each row's contact after it, half again the cost of the same
    /// compound SELECT written out (issue 15, docs/performance/HISTORY.md). A view nothing reads would be a
    /// second definition of the list to keep in step with the first.
    static let activityItemsView = Migration(version: 18, name: "activity list read without a view", sql: """
        DROP VIEW customer_activity_items;
        """)
}
