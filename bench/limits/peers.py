#!/usr/bin/env python3
"""Hostile and busy peers against a running store SCP, on loopback, for the limits benchmark (bench/limits/run.sh).

Each scenario prints one line `name: key=value ...`; memory is the SCP's VmRSS/VmHWM from /proc. PDUs are written by
hand (PS3.8 9.3) so that a peer can stop half-way through an A-ASSOCIATE-RQ or call from another loopback address
(127.0.0.0/8 is all loopback on Linux; the SCP sees a different calling address).

Usage: peers.py SCENARIO PORT PID [ARGS...]
  unfinished-rq N CLAIM      N connections each announce an A-ASSOCIATE-RQ of CLAIM bytes and send all but one byte
  idle-connections N         N silent TCP connections from 127.0.0.1, then a C-ECHO from 127.0.0.2
  idle-associations N        N idle Verification associations from 127.0.0.1, then a C-ECHO from 127.0.0.2
  parallel-stores N FOLDER   N associations at once, from 127.0.0.2.., each storing the folder's files in turn
"""
import os
import socket
import struct
import sys
import threading
import time

CALLED = b"CXRAGENT"
VERIFICATION = "1.2.840.10008.1.1"
EXPLICIT_LE = "1.2.840.10008.1.2.1"
IMPLICIT_LE = "1.2.840.10008.1.2"


def rss(pid):
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) // 1024
    return values


def connect(port, source="127.0.0.1"):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s


def item(kind, body):
    return struct.pack(">BBH", kind, 0, len(body)) + body


def pdu(kind, body):
    return struct.pack(">BBI", kind, 0, len(body)) + body


def uid(text):
    return text.encode("ascii")


def associate_rq(contexts, calling=b"PEERS", max_pdu=131072):
    body = struct.pack(">HH", 1, 0) + CALLED.ljust(16) + calling.ljust(16) + bytes(32)
    body += item(0x10, uid("1.2.840.10008.3.1.1.1"))
    for cid, abstract, syntaxes in contexts:
        sub = item(0x30, uid(abstract)) + b"".join(item(0x40, uid(ts)) for ts in syntaxes)
        body += item(0x20, struct.pack(">BBBB", cid, 0, 0, 0) + sub)
    user = item(0x51, struct.pack(">I", max_pdu)) + item(0x52, uid("1.2.3.4.5"))
    body += item(0x50, user)
    return pdu(0x01, body)


def read_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def read_pdu(s):
    kind, _, length = struct.unpack(">BBI", read_exact(s, 6))
    return kind, read_exact(s, length)


def accepted_contexts(ac_body):
    """Presentation context ID -> accepted transfer syntax, from an A-ASSOCIATE-AC body."""
    result, offset = {}, 68
    while offset < len(ac_body):
        kind, _, length = struct.unpack(">BBH", ac_body[offset:offset + 4])
        value = ac_body[offset + 4:offset + 4 + length]
        if kind == 0x21 and value[2] == 0:
            result[value[0]] = value[8:8 + struct.unpack(">H", value[6:8])[0]].decode().rstrip("\0")
        offset += 4 + length
    return result


def element(group, elem, value):
    return struct.pack("<HHI", group, elem, len(value)) + value


def padded_uid(text):
    raw = text.encode("ascii")
    return raw + (b"\0" if len(raw) % 2 else b"")


def command(fields):
    body = b"".join(element(0, e, v) for e, v in sorted(fields.items()))
    return element(0, 0, struct.pack("<I", len(body))) + body


def pdv(cid, control, data):
    return struct.pack(">IBB", len(data) + 2, cid, control) + data


def send_command(s, cid, fields):
    s.sendall(pdu(0x04, pdv(cid, 0x03, command(fields))))


def read_status(s):
    data = b""
    while True:
        kind, body = read_pdu(s)
        if kind != 0x04:
            raise ConnectionError(f"PDU type {kind:#x} instead of a response")
        length, _, control = struct.unpack(">IBB", body[:6])
        data += body[6:4 + length]
        if control & 0x02:
            break
    offset = 0
    while offset < len(data):
        g, e, n = struct.unpack("<HHI", data[offset:offset + 8])
        if (g, e) == (0, 0x0900):
            return struct.unpack("<H", data[offset + 8:offset + 10])[0]
        offset += 8 + n
    raise ValueError("no Status in the response")


def echo(port, source):
    """One C-ECHO on a fresh association; returns (outcome, seconds)."""
    start = time.monotonic()
    try:
        s = connect(port, source)
        s.settimeout(10)
        s.sendall(associate_rq([(1, VERIFICATION, [IMPLICIT_LE])], calling=b"ROUTER"))
        kind, body = read_pdu(s)
        if kind != 0x02:
            return (f"rejected-pdu-{kind:#x}", time.monotonic() - start)
        send_command(s, 1, {0x0002: padded_uid(VERIFICATION), 0x0100: struct.pack("<H", 0x30),
                            0x0110: struct.pack("<H", 1), 0x0800: struct.pack("<H", 0x0101)})
        status = read_status(s)
        s.sendall(pdu(0x05, bytes(4)))
        read_pdu(s)
        s.close()
        return ("success" if status == 0 else f"status-{status:04x}", time.monotonic() - start)
    except (OSError, ConnectionError) as e:
        return (f"failed-{type(e).__name__}", time.monotonic() - start)


def unfinished_rq(port, pid, n, claim):
    before = rss(pid)
    sockets, refused = [], 0
    for _ in range(n):
        try:
            s = connect(port)
            s.sendall(struct.pack(">BBI", 0x01, 0, claim))
            sockets.append(s)
        except OSError:
            refused += 1
    body = bytes(65536)
    start = time.monotonic()
    sent = 0
    for s in sockets:
        remaining = claim - 1
        s.settimeout(2)
        try:
            while remaining > 0:
                chunk = body[:min(len(body), remaining)]
                s.sendall(chunk)
                remaining -= len(chunk)
                sent += len(chunk)
        except OSError:
            pass
    time.sleep(1.0)
    after = rss(pid)
    open_count = sum(1 for s in sockets if still_open(s))
    # How long until the SCP has closed every one of them.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(still_open(s) for s in sockets):
        time.sleep(0.1)
    closed_after = time.monotonic() - start
    for s in sockets:
        s.close()
    print(f"unfinished-rq n={n} claim={claim}: sent_mb={sent >> 20} rss_before_mb={before['VmRSS']} "
          f"rss_after_mb={after['VmRSS']} peak_mb={after['VmHWM']} open_after_1s={open_count} "
          f"all_closed_s={closed_after:.1f} connect_refused={refused}")


def still_open(s):
    s.setblocking(False)
    try:
        data = s.recv(65536)
        return len(data) > 0
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        s.setblocking(True)


def idle_connections(port, pid, n):
    sockets = []
    for _ in range(n):
        try:
            sockets.append(connect(port))
        except OSError:
            break
    time.sleep(0.5)
    held = sum(1 for s in sockets if still_open(s))
    outcome, seconds = echo(port, "127.0.0.2")
    for s in sockets:
        s.close()
    print(f"idle-connections n={n}: held_by_scp={held} other_address_echo={outcome} echo_s={seconds:.2f} "
          f"rss_mb={rss(pid)['VmRSS']}")


def idle_associations(port, pid, n):
    sockets, accepted = [], 0
    for _ in range(n):
        s = connect(port)
        s.settimeout(10)
        s.sendall(associate_rq([(1, VERIFICATION, [IMPLICIT_LE])], calling=b"HOG"))
        kind, _ = read_pdu(s)
        accepted += kind == 0x02
        sockets.append(s)
    outcome, seconds = echo(port, "127.0.0.2")
    for s in sockets:
        s.close()
    print(f"idle-associations n={n}: accepted={accepted} other_address_echo={outcome} echo_s={seconds:.2f} "
          f"rss_mb={rss(pid)['VmRSS']}")


def dataset_of(path):
    """(SOP Class UID, SOP Instance UID, data set bytes) of an Explicit VR Little Endian Part 10 file."""
    with open(path, "rb") as f:
        data = f.read()
    offset, meta_end, values = 132, None, {}
    while meta_end is None or offset < meta_end:
        g, e = struct.unpack("<HH", data[offset:offset + 4])
        vr = data[offset + 4:offset + 6]
        if vr in (b"OB", b"OW", b"UN", b"SQ", b"UT"):
            n = struct.unpack("<I", data[offset + 8:offset + 12])[0]
            start = offset + 12
        else:
            n = struct.unpack("<H", data[offset + 6:offset + 8])[0]
            start = offset + 8
        values[(g, e)] = data[start:start + n]
        if (g, e) == (2, 0):
            meta_end = start + n + struct.unpack("<I", values[(2, 0)])[0]
        offset = start + n
    text = lambda v: v.decode().rstrip("\0 ")  # noqa: E731
    return text(values[(2, 2)]), text(values[(2, 3)]), data[meta_end:]


def store_all(port, source, files, max_pdu, results):
    try:
        s = connect(port, source)
        s.settimeout(60)
        sop_class = dataset_of(files[0])[0]
        s.sendall(associate_rq([(1, sop_class, [EXPLICIT_LE])], calling=b"SENDER"))
        kind, body = read_pdu(s)
        if kind != 0x02 or 1 not in accepted_contexts(body):
            results.append(f"rejected-{kind:#x}")
            return
        for i, path in enumerate(files):
            sop_class, sop_instance, data = dataset_of(path)
            send_command(s, 1, {0x0002: padded_uid(sop_class), 0x0100: struct.pack("<H", 0x01),
                                0x0110: struct.pack("<H", i + 1), 0x0700: struct.pack("<H", 0),
                                0x0800: struct.pack("<H", 0), 0x1000: padded_uid(sop_instance)})
            step = max_pdu - 6
            for offset in range(0, len(data), step):
                last = offset + step >= len(data)
                s.sendall(pdu(0x04, pdv(1, 0x02 if last else 0x00, data[offset:offset + step])))
            status = read_status(s)
            results.append("success" if status == 0 else f"status-{status:04x}")
        s.sendall(pdu(0x05, bytes(4)))
        read_pdu(s)
        s.close()
    except (OSError, ConnectionError) as e:
        results.append(f"failed-{type(e).__name__}")


def parallel_stores(port, pid, n, folder):
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".dcm"))
    results, threads = [], []
    start = time.monotonic()
    for i in range(n):
        # Each association from its own loopback address, so per-address limits do not hide the total.
        part = files[i::n] or files[:1]
        source = f"127.0.{1 + i // 250}.{2 + i % 250}"
        t = threading.Thread(target=store_all, args=(port, source, part, 16384 * 8, results))
        threads.append(t)
        t.start()
    peak = 0
    while any(t.is_alive() for t in threads):
        peak = max(peak, rss(pid)["VmRSS"])
        time.sleep(0.05)
    seconds = time.monotonic() - start
    ok = sum(1 for r in results if r == "success")
    others = sorted(set(r for r in results if r != "success"))
    print(f"parallel-stores n={n}: stored={ok} other={others} seconds={seconds:.1f} peak_rss_mb={max(peak, rss(pid)['VmHWM'])}")


def main():
    scenario, port, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    args = sys.argv[4:]
    if scenario == "unfinished-rq":
        unfinished_rq(port, pid, int(args[0]), int(args[1]))
    elif scenario == "idle-connections":
        idle_connections(port, pid, int(args[0]))
    elif scenario == "idle-associations":
        idle_associations(port, pid, int(args[0]))
    elif scenario == "parallel-stores":
        parallel_stores(port, pid, int(args[0]), args[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
