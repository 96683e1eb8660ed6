// Placeholder until the Logging module lands.
