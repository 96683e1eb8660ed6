// Placeholder until the BusinessIdentifiers module lands.
