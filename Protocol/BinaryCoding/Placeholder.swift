// Placeholder until the BinaryCoding module lands.
