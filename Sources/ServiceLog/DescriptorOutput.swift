import Glibc

/// Bytes written whole to a descriptor with write(2): the one loop behind customerd's and
/// customerctl's own writes to standard error and customerctl's standard output, which must not go
/// through Foundation's `FileHandle.write` (it traps when write(2) fails, `2>/dev/full`).
public enum DescriptorOutput {
    /// Writes every byte of `bytes` to `descriptor`, retrying on EINTR and short writes.
    /// - Returns: nil once all are written; else the errno that stopped it (EIO for a write that
    ///   took no byte).
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard let base = bytes.baseAddress else { return nil }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            if written < 0 { return errno }
            if written == 0 { return EIO }
            offset += written
        }
        return nil
    }
}
