import Glibc

/// The kind of file a mode (`st_mode`) names, in the words errors use: one wording for customerd's
/// inherited socket and customerctl's input files.
public enum FileKind {
    /// "a regular file", "a pipe", "a character device", …
    public static func described(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a pipe"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFLNK: return "a symbolic link"
        case S_IFSOCK: return "a socket"
        default: return "of file type \(String(mode & S_IFMT, radix: 8))"
        }
    }
}
