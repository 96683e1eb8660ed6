// Placeholder until the CustomerServer module lands.
