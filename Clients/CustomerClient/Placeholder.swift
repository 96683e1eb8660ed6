// Placeholder until the CustomerClient module lands.
