import CommandLineKit
import CustomerClient
import Foundation

/// `customerctl admin ...`: looking after the server's data.
enum AdminCommands {
    static let to = Option.value("to", "PATH", help: """
        The backup's folder: an absolute path on the server's machine, not there yet
        (or empty), in a folder that exists. The server writes it as its own OS
        user, with mode 0700 folders and 0600 files, so that user needs write
        permission there.
        """, required: true, completion: .file)
    static let pagesPerStep = Option.value("pages-per-step", "N", help: """
        Database pages copied per step, 1 to 4096; writers wait for at most one
        step. Default: 64 (256 KiB).
        """)

    static let all: [CommandSpec] = [
        CommandSpec(
            ["admin", "backup"], summary: "Have the server write a checked backup while it serves (administration).",
            options: [to, pagesPerStep],
            notes: """
                The database is copied online in steps (writers wait for one step at a time, never
                for the whole copy), then checked with SQLite's integrity_check; every stored file
                it references is copied with its SHA-256 checked; a MANIFEST is written last and
                the folder appears under PATH only then. A backup cut off midway leaves only a
                hidden PATH's-name.partial-* folder without a MANIFEST, which a restore refuses.
                Restore with `customerd --restore PATH` while the server is stopped.
                A large database takes a while: raise --timeout (the server finishes the backup
                even when the client stopped waiting; a server stopping ends it, leaving nothing).
                Sent again with the same --idempotency-key after a lost answer, it prints the
                first backup's summary and writes nothing, also once that backup was removed.
                """,
            examples: ["customerctl --timeout 600 admin backup --to /var/backups/customercard/2026-12-03"]
        ) { invocation in
            let pages: Int32? = try invocation.integer(pagesPerStep)
            let backup = try await invocation.client.maintenance.backup(
                to: invocation.value(to) ?? "", pagesPerStep: pages, options: invocation.callOptions)
            if invocation.output == .json {
                try Output(format: .json).printJSON(backup)
                return
            }
            var fields = FieldList()
            fields.add("backup", backup.path)
            fields.add("database", "\(backup.databaseBytes) bytes")
            fields.add("customers", String(backup.customers))
            fields.add("files", "\(backup.files) (\(backup.fileBytes) bytes)")
            fields.add("duration", "\(backup.durationMilliseconds) ms")
            fields.add("writers held", "\(backup.steps) steps: median \(backup.medianStepMicroseconds) µs, longest \(backup.longestStepMicroseconds) µs")
            print(fields.render(), terminator: "")
        },
    ]
}
