// Placeholder until the BusinessRegistry module lands.
