"""A hostile fake customerd: a client (customerctl, a library) connects to SOCKET and is answered
as SCENARIO says (hostile handshakes, frames of lying lengths, undecodable or over-long messages,
bad STATUS frames, floods, silence). What the client must do: end with a precise error within its
deadline, never trap or grow without bound (docs/HARDENING.md, redteam19's rows).

    python3 contrib/hostile/fake_server.py SOCKET SCENARIO &
    customerctl --socket SOCKET --timeout 10 customers get 1      # or customers export

Scenarios: the `s == "..."` names in run(). Runs until killed."""
import os, socket, sys, threading, time, struct
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Clients", "python"))
from customercard import frames
from customercard.wire import string_bytes

path, scenario = sys.argv[1], sys.argv[2]

def rd(sock, n):
    b = b""
    while len(b) < n:
        c = sock.recv(n - len(b))
        if not c: raise EOFError
        b += c
    return b

def frame(sock):
    length, t, fl, sid = frames.HEADER.unpack(rd(sock, frames.HEADER_SIZE))
    return t, fl, sid, rd(sock, length)

def hello(maxframe=1 << 20, calls=10, window=1 << 18, name="fake", version="0"):
    return (frames.PROTOCOL_VERSION.to_bytes(2, "big") + maxframe.to_bytes(4, "big") + calls.to_bytes(4, "big")
            + window.to_bytes(4, "big") + string_bytes(name) + string_bytes(version))

def hdr(length, t, fl, sid):
    return struct.pack(">IBBI", length, t, fl, sid)

def ok(sid, body):
    return frames.frame(frames.STATUS, frames.HAS_MESSAGE, sid, b"\0\0\0\0" + body)

def run(sock):
    assert rd(sock, 4) == frames.MAGIC
    assert frame(sock)[0] == frames.HELLO
    s = scenario
    if s == "no-hello":
        time.sleep(120); return
    if s == "hello-trickle":
        for b in frames.frame(frames.HELLO, 0, 0, hello()):
            sock.sendall(bytes([b])); time.sleep(1)
    if s == "hello-zeros":
        sock.sendall(frames.frame(frames.HELLO, 0, 0, hello(0, 0, 0)))
    elif s == "hello-huge-name":
        sock.sendall(frames.frame(frames.HELLO, 0, 0, hello(name="x" * 900_000)))
    elif s == "hello-lying-length":
        sock.sendall(hdr(0xFFFFFFFF, frames.HELLO, 0, 0) + hello()); time.sleep(60); return
    elif s == "hello-truncated":
        sock.sendall(frames.frame(frames.HELLO, 0, 0, hello()[:5]))
    elif s == "hello-varint-overflow":
        sock.sendall(frames.frame(frames.HELLO, 0, 0, hello()[:14] + b"\xff" * 11))
    else:
        sock.sendall(frames.frame(frames.HELLO, 0, 0, hello()))
    while True:
        t, fl, sid, p = frame(sock)
        if t == frames.PING:
            continue
        if t != frames.CALL_START:
            continue
        if s == "msg-huge-length":
            sock.sendall(hdr(0xFFFFFFF0, frames.MESSAGE, frames.HAS_MESSAGE, sid) + b"\0" * 100); time.sleep(60); return
        if s == "msg-4mib-plus-1":
            sock.sendall(hdr(4 * 1024 * 1024 + 1, frames.MESSAGE, frames.HAS_MESSAGE, sid)); sock.sendall(b"\0" * (4 * 1024 * 1024 + 1)); time.sleep(5); return
        if s == "msg-garbage":
            sock.sendall(ok(sid, b"\x0a\xff\xff\xff\xff\x0f" + b"x" * 10))
        if s == "msg-varint-overflow":
            sock.sendall(ok(sid, b"\x08" + b"\xff" * 12))
        if s == "msg-deep-nesting":
            body = b""
            for _ in range(200_000):
                body = b"\x0a" + bytes([0]) if not body else b"\x0a" + varint(len(body)) + body
            sock.sendall(ok(sid, body[:1024 * 1024]))
        if s == "msg-wrong-types":
            # every field number 1..40 as a fixed64, then as length-delimited with wrong content
            body = b"".join(varint(n << 3 | 1) + b"\xff" * 8 for n in range(1, 40))
            sock.sendall(ok(sid, body))
        if s == "status-code-255":
            sock.sendall(frames.frame(frames.STATUS, 0, sid, b"\xff\x03abc\0\0"))
        if s == "status-bad-utf8":
            sock.sendall(frames.frame(frames.STATUS, 0, sid, b"\x05\x04\xff\xfe\xc0\x80\0\0"))
        if s == "status-details-huge-count":
            sock.sendall(frames.frame(frames.STATUS, 0, sid, b"\x05\x01a" + b"\xff\xff\xff\xff\x0f" + b"\0"))
        if s == "status-control-chars":
            m = b"\x1b[2J\x1b]0;pwned\x07evil\rline"
            sock.sendall(frames.frame(frames.STATUS, 0, sid, b"\x05" + bytes([len(m)]) + m + b"\0\0"))
        # Text a terminal would act on inside an answer's fields, not its message (redteam25): a
        # detail's field and reason, a page token, an import problem's reason. C0, C1 (CSI
        # U+009B), DEL, a line separator and a right-to-left override.
        if s in ("details-escapes", "page-token-escapes", "import-problems-escapes"):
            evil = "\x1b]0;pwned\x07\x1b[2J\u009b2J\x7f\u2028FORGED \u202eelif\u202c".encode()
            if s == "details-escapes":
                detail = b"\x0a" + string_bytes("name\x1b[31m") + b"\x12" + string_bytes(evil.decode())
                details = b"\x0a" + varint(len(detail)) + detail
                m = b"bad"
                sock.sendall(frames.frame(frames.STATUS, 0, sid, b"\x03" + varint(len(m)) + m + varint(len(details)) + details + b"\0"))
            elif s == "page-token-escapes":
                sock.sendall(ok(sid, b"\x12" + varint(len(evil)) + evil))
            else:
                problem = b"\x08\x04" + b"\x12" + string_bytes("name") + b"\x1a" + varint(len(evil)) + evil
                # rows 1, imported 0, rejectedRows 1 (zigzag), the problem, dryRun false: every singular field.
                sock.sendall(ok(sid, b"\x08\x02\x10\x00\x18\x02\x22" + varint(len(problem)) + problem + b"\x28\x00"))
        if s == "status-unknown-stream":
            sock.sendall(frames.frame(frames.STATUS, 0, sid + 1000, b"\x05\x01a\0\0")); time.sleep(40); return
        if s == "status-twice-message-after":
            sock.sendall(frames.frame(frames.STATUS, 0, sid, b"\x05\x01a\0\0"))
            sock.sendall(frames.frame(frames.MESSAGE, frames.HAS_MESSAGE, sid, b""))
            sock.sendall(frames.frame(frames.STATUS, 0, sid, b"\x00\x00\0\0"))
        if s == "goaway-weird":
            sock.sendall(frames.frame(frames.GOAWAY, 0, 0, b"\xee\x02zz\xff\xff\xff\xff"))
        if s == "ping-flood":
            try:
                for _ in range(200_000): sock.sendall(frames.frame(frames.PING, 0, 0, b"12345678"))
            except OSError: return
            time.sleep(40); return
        if s == "window-updates":
            for _ in range(1000): sock.sendall(frames.frame(frames.WINDOW_UPDATE, 0, sid, b"\xff\xff\xff\xff"))
            time.sleep(40); return
        if s == "msg-huge-string":
            sock.sendall(ok(sid, b"\x0a" + varint(4 * 1024 * 1024 - 200) + b"A" * (4 * 1024 * 1024 - 200)))
        if s == "msg-nested-lengths-lie":
            sock.sendall(ok(sid, b"\x0a\x10\x12\xff\xff\xff\xff\x0f" + b"z" * 8))
        if s == "msg-fields-2-to-60-lie":
            sock.sendall(ok(sid, b"".join(varint(n << 3 | 2) + varint(2**62) for n in range(1, 60))))
        if s == "msg-bad-utf8":
            sock.sendall(ok(sid, b"".join(varint(n << 3 | 2) + b"\x02\xff\xfe" for n in range(1, 60))))
        if s == "msg-negative-ints":
            sock.sendall(ok(sid, b"".join(varint(n << 3 | 0) + b"\xff" * 9 + b"\x01" for n in range(1, 60))))
        if s == "stream-flood":
            # MESSAGE frames of 1 MiB of unknown fields, ignoring the client's window
            body = b"\x12\x00" + varint(1000 << 3 | 2) + varint(1024 * 1024 - 16) + b"u" * (1024 * 1024 - 16)
            f = frames.frame(frames.MESSAGE, frames.HAS_MESSAGE, sid, body)
            try:
                for _ in range(3000): sock.sendall(f)
            except OSError: return
            time.sleep(60); return
        # A server planted at another user's default socket (redteam26): it shows what the
        # victim's client sent it (method and request), then answers OK with an empty message.
        if s == "record":
            print(f"received {p!r}", file=sys.stderr, flush=True)
            sock.sendall(ok(sid, b""))
        if s == "silent":
            time.sleep(60); return
        if s == "unknown-frame-type":
            sock.sendall(frames.frame(0x7f, 0, sid, b"zzz")); time.sleep(40); return
        if s == "stream-id-zero-message":
            sock.sendall(frames.frame(frames.MESSAGE, frames.HAS_MESSAGE, 0, b"zzz")); time.sleep(40); return

def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7f; n >>= 7
        if n: out.append(b | 0x80)
        else: out.append(b); return bytes(out)

try: os.unlink(path)
except FileNotFoundError: pass
l = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); l.bind(path); l.listen()
def handle(c):
    try: run(c)
    except (EOFError, OSError, AssertionError): pass
    finally: c.close()
while True:
    c, _ = l.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
