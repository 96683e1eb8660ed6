/// Durations as the integer counts the wire and the system calls take, without trapping.
extension Duration {
    /// How many whole `unit`s this duration holds (rounded up when asked): 0 when it is not
    /// positive, `UInt64.max` when it holds more. A caller's timeout can be `.seconds(Int64.max)`,
    /// whose microseconds do not fit in 64 bits.
    public func saturatingCount(of unit: Duration, roundingUp: Bool = false) -> UInt64 {
        // Both fit in Int128 with room: |attoseconds| < 2^63 * 10^18 < 2^123.
        let total = attoseconds
        let step = unit.attoseconds
        guard total > 0, step > 0 else { return 0 }
        return UInt64(clamping: roundingUp ? (total + step - 1) / step : total / step)
    }
}
