package kz.qamqor.state

import java.io.IOException
import java.io.InputStream
import java.io.OutputStream
import java.net.InetAddress
import java.net.ServerSocket
import java.net.Socket
import java.net.URI
import java.util.Collections
import java.util.concurrent.Executors

/**
 * The phone's network, between a phone and the real server: a TCP relay on a loopback port whose
 * [mode] a test switches. [Mode.OFFLINE] breaks every connection at once (a network that is down:
 * the core retries), [Mode.UNAVAILABLE] answers every request `503` with `Retry-After: 3600` (the
 * core gives up at once and reports it), [Mode.ONLINE] relays bytes both ways.
 */
class FlakyLink(target: String) : AutoCloseable {
    enum class Mode { ONLINE, OFFLINE, UNAVAILABLE }

    private val upstream = URI.create(target)
    private val listener = ServerSocket(0, 50, InetAddress.getLoopbackAddress())
    private val connections = Collections.synchronizedSet(mutableSetOf<Socket>())
    private val threads = Executors.newCachedThreadPool { r -> Thread(r, "flaky-link").apply { isDaemon = true } }

    /** The address to give the phone instead of the server's. */
    val url = "http://127.0.0.1:${listener.localPort}"

    @Volatile
    var mode: Mode = Mode.ONLINE
        set(value) {
            field = value
            // connections the client keeps alive break too, as when the phone loses its network
            if (value != Mode.ONLINE) synchronized(connections) { connections.toList() }.forEach { runCatching { it.close() } }
        }

    init {
        threads.execute {
            while (!listener.isClosed) {
                val client = try {
                    listener.accept()
                } catch (e: IOException) {
                    break
                }
                threads.execute { serve(client) }
            }
        }
    }

    private fun serve(client: Socket) {
        when (mode) {
            Mode.OFFLINE -> client.close()
            Mode.UNAVAILABLE -> client.use { unavailable(it) }
            Mode.ONLINE -> relay(client)
        }
    }

    private fun unavailable(client: Socket) {
        val input = client.getInputStream()
        val head = readHead(input)
        val length = Regex("(?im)^content-length:\\s*(\\d+)").find(head)?.groupValues?.get(1)?.toInt() ?: 0
        input.readNBytes(length)
        val body = """{"code":"unavailable","message":"down for maintenance"}"""
        val answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 3600\r\n" +
            "Content-Length: ${body.length}\r\nConnection: close\r\n\r\n$body"
        client.getOutputStream().apply { write(answer.toByteArray()); flush() }
    }

    private fun readHead(input: InputStream): String {
        val head = StringBuilder()
        while (!head.endsWith("\r\n\r\n")) {
            val b = input.read()
            if (b < 0) break
            head.append(b.toChar())
        }
        return head.toString()
    }

    private fun relay(client: Socket) {
        val server = try {
            Socket(upstream.host, upstream.port)
        } catch (e: IOException) {
            client.close()
            return
        }
        connections += client
        connections += server
        val close = {
            runCatching { client.close() }
            runCatching { server.close() }
            connections -= client
            connections -= server
        }
        threads.execute { copy(client.getInputStream(), server.getOutputStream()); close() }
        threads.execute { copy(server.getInputStream(), client.getOutputStream()); close() }
    }

    private fun copy(from: InputStream, to: OutputStream) {
        try {
            val buffer = ByteArray(16 * 1024)
            while (true) {
                val n = from.read(buffer)
                if (n < 0) break
                to.write(buffer, 0, n)
                to.flush()
            }
        } catch (e: IOException) {
            // the other side closed: the relay ends
        }
    }

    override fun close() {
        listener.close()
        mode = Mode.OFFLINE
        threads.shutdownNow()
    }
}
