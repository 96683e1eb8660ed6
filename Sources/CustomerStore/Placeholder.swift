// Placeholder until the CustomerStore module lands.
