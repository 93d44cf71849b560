package kz.qamqor.state

import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import javax.imageio.ImageIO

// Test images for the photo pipeline (the profile photo, achievement evidence), shared by the
// state tests: the core checks and processes whatever the person picks.

/** A valid PNG of [w] x [h] pixels with a pattern (not one colour, so it does not compress to nothing). */
fun png(w: Int, h: Int): ByteArray {
    val img = BufferedImage(w, h, BufferedImage.TYPE_INT_RGB)
    for (x in 0 until w) for (y in 0 until h) img.setRGB(x, y, (x * 7 + y * 13) and 0xFFFFFF)
    return ByteArrayOutputStream().also { ImageIO.write(img, "png", it) }.toByteArray()
}

/** Bytes a person might pick that are no image at all (a PDF's start). */
val notAnImage: ByteArray = "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj".toByteArray()

/** Whether [bytes] are a JPEG (the core keeps every photo as one). */
fun isJpeg(bytes: ByteArray?): Boolean = bytes != null && bytes.size > 2 && bytes[0] == 0xFF.toByte() && bytes[1] == 0xD8.toByte()
