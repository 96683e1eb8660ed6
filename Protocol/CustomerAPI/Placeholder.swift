// Placeholder until the CustomerAPI module lands.
