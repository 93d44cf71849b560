import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP relay on 127.0.0.1 in front of the test server, so a test can take one phone offline:
/// a phone that joined through `url` loses the server when the relay stops (connections refused,
/// open ones cut), and finds it again when the relay starts on the same port.
final class TCPRelay: @unchecked Sendable {
    let targetPort: UInt16
    private(set) var port: UInt16 = 0
    private let lock = NSLock()
    private var listener: Int32 = -1
    private var open: Set<Int32> = []

    /// `target`: the server's base URL (http://127.0.0.1:PORT).
    init(target: String) throws {
        guard let port = URL(string: target)?.port, let p = UInt16(exactly: port) else {
            throw TestError.server("no port in \(target)")
        }
        targetPort = p
        signal(SIGPIPE, SIG_IGN) // a write to a cut connection must not end the test run
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Listens (on a free port the first time, on the same port again after `stop`).
    func start() throws {
        let fd = socket(AF_INET, Self.stream, 0)
        guard fd >= 0 else { throw TestError.server("socket: \(errno)") }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var addr = Self.loopback(port: port)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw TestError.server("bind/listen on port \(port): errno \(errno)")
        }
        if port == 0 {
            var actual = sockaddr_in()
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &actual) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
            }
            port = UInt16(bigEndian: actual.sin_port)
        }
        lock.lock()
        listener = fd
        lock.unlock()
        Thread.detachNewThread { [self] in acceptLoop(fd) }
    }

    /// Stops listening and cuts every open connection.
    func stop() {
        lock.lock()
        let fd = listener
        let connections = open
        listener = -1
        lock.unlock()
        if fd >= 0 {
            shutdown(fd, Int32(SHUT_RDWR)) // wakes the blocked accept()
            close(fd)
        }
        for c in connections { shutdown(c, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop(_ fd: Int32) {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return // stopped
            }
            let upstream = socket(AF_INET, Self.stream, 0)
            var addr = Self.loopback(port: targetPort)
            let connected = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard upstream >= 0, connected == 0 else {
                if upstream >= 0 { close(upstream) }
                close(client)
                continue
            }
            lock.lock()
            let stillListening = listener == fd
            if stillListening { open.formUnion([client, upstream]) }
            lock.unlock()
            guard stillListening else {
                close(client)
                close(upstream)
                return
            }
            let pair = Pair(a: client, b: upstream, relay: self)
            Thread.detachNewThread { pair.pump(from: client, to: upstream) }
            Thread.detachNewThread { pair.pump(from: upstream, to: client) }
        }
    }

    fileprivate func forget(_ fds: [Int32]) {
        lock.lock()
        for fd in fds { open.remove(fd) }
        lock.unlock()
    }

    /// One relayed connection: two pumps; when either side ends, both are shut, and the last pump
    /// closes them.
    private final class Pair: @unchecked Sendable {
        let a: Int32, b: Int32
        weak var relay: TCPRelay?
        private let lock = NSLock()
        private var running = 2

        init(a: Int32, b: Int32, relay: TCPRelay) {
            self.a = a
            self.b = b
            self.relay = relay
        }

        func pump(from src: Int32, to dst: Int32) {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            outer: while true {
                let n = buffer.withUnsafeMutableBytes { recv(src, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                var sent = 0
                while sent < n {
                    let w = buffer.withUnsafeBytes { send(dst, $0.baseAddress! + sent, n - sent, 0) }
                    if w <= 0 { break outer }
                    sent += w
                }
            }
            shutdown(a, Int32(SHUT_RDWR))
            shutdown(b, Int32(SHUT_RDWR))
            lock.lock()
            running -= 1
            let last = running == 0
            lock.unlock()
            if last {
                relay?.forget([a, b])
                close(a)
                close(b)
            }
        }
    }

    private static var stream: Int32 {
        #if os(Linux)
        return Int32(SOCK_STREAM.rawValue)
        #else
        return SOCK_STREAM
        #endif
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var addr = sockaddr_in()
        #if !os(Linux)
        addr.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return addr
    }
}
