// `TerminalText`, the one rule for text someone else wrote shown to a person, lives below the
// protocol (the decoders quote what a client sent with it) and is part of what the log offers, so
// whoever imports the log has it too.
@_exported import DisplayText
