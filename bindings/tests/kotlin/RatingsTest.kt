package kz.qamqor.core.test

import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.time.Duration
import java.time.LocalDate
import java.time.ZoneOffset
import java.util.UUID
import javax.imageio.ImageIO
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kz.qamqor.core.*
import org.junit.Test

/** Achievements, evidence photos and the person's own rating through the generated bindings. */
class RatingsTest {
    private fun tempDb(): String = Files.createTempDirectory("qamqor-kt-ratings").resolve("qamqor.db").toString()

    private fun png(w: Int, h: Int): ByteArray {
        val img = BufferedImage(w, h, BufferedImage.TYPE_INT_RGB)
        for (x in 0 until w) for (y in 0 until h) img.setRGB(x, y, (x * 7 + y * 13) and 0xFFFFFF)
        val out = ByteArrayOutputStream()
        ImageIO.write(img, "png", out)
        return out.toByteArray()
    }

    /** A day safely in the past in every time zone. */
    private val lastWeek = LocalDate.now(ZoneOffset.UTC).minusDays(7).toString()

    private fun input(type: String, on: String = lastWeek) = AchievementInput(type, "Article on burnout", "in a journal", on)

    @Test fun achievementsAreRecordedOfflineWithEvidenceAndCheckedField() {
        QamqorCore.open(tempDb()).use { core ->
            val catalogue = core.ratingCatalogue()
            assertEquals(RatingMethod.AVERAGE, catalogue.method)
            assertEquals(listOf("research", "professional", "methodical", "social", "organisational"), catalogue.categories.map { it.id })
            assertTrue(catalogue.types.any { it.id == "research.article" && it.points == 30u })

            val a = core.recordAchievement(input("research.article"), png(1200, 900))
            assertEquals(AchievementStatus.PENDING, a.status)
            assertEquals(30u, a.points)
            assertEquals("research", a.categoryId)
            assertTrue(a.hasEvidence)
            assertNull(a.review)
            val jpeg = assertNotNull(core.achievementEvidence(a.id))
            assertEquals(0xFF.toByte(), jpeg[0])
            assertEquals(0xD8.toByte(), jpeg[1])
            assertEquals(1uL, core.pendingChangeCount())

            val notAnImage = assertFailsWith<ApiException.InvalidInput> {
                core.recordAchievement(input("research.article"), "%PDF-1.7".toByteArray())
            }
            assertEquals("evidence", notAnImage.field)
            assertEquals(InvalidReason.NOT_AN_IMAGE, notAnImage.reason)
            val unknown = assertFailsWith<ApiException.InvalidInput> { core.recordAchievement(input("research.telepathy"), null) }
            assertEquals("type_id" to InvalidReason.UNKNOWN, unknown.field to unknown.reason)
            val badDate = assertFailsWith<ApiException.InvalidInput> { core.recordAchievement(input("research.article", "31.12.2025"), null) }
            assertEquals("achieved_on", badDate.field)
            val future = assertFailsWith<ApiException.InvalidInput> {
                core.recordAchievement(input("research.article", LocalDate.now(ZoneOffset.UTC).plusDays(3).toString()), null)
            }
            assertEquals(InvalidReason.IN_FUTURE, future.reason)
            // Nothing was written by the refused ones.
            assertEquals(listOf(a.id), core.achievements().map { it.id })
            assertEquals(1uL, core.pendingChangeCount())

            // Pending achievements count nothing; the rating lists every category.
            val rating = core.rating(null, null)
            assertEquals(0.0, rating.total)
            assertEquals(5, rating.categories.size)
            val badPeriod = assertFailsWith<ApiException.InvalidInput> { core.rating("2026-02-01", "2026-01-01") }
            assertEquals("to", badPeriod.field)

            core.deleteAchievement(a.id)
            assertTrue(core.achievements().isEmpty())
            assertFailsWith<ApiException.NotFound> { core.deleteAchievement(a.id) }
        }
    }

    @Test fun aManagersVerdictSyncsBackAndCountsInTheRating() {
        val server = AdminApi()
        val email = "rated-${UUID.randomUUID()}@test.qamqor.kz"
        val code = server.invite(email)
        QamqorCore.open(tempDb()).use { core ->
            core.register(server.url, code, email, "Әлия", "a long password 1", "Pixel")
            val paper = core.recordAchievement(input("research.article"), null)
            val course = core.recordAchievement(input("professional.course"), null)
            core.sync(null)
            assertEquals(0uL, core.pendingChangeCount())

            server.review(paper.id, """{"status":"verified","comment":"great"}""")
            server.review(course.id, """{"status":"rejected","comment":"no certificate"}""")
            core.sync(null)

            val verified = core.achievements().first { it.id == paper.id }
            assertEquals(AchievementStatus.VERIFIED, verified.status)
            assertEquals("great", verified.review?.comment)
            assertEquals("Test Admin", verified.review?.reviewerName)
            assertEquals(AchievementStatus.REJECTED, core.achievements().first { it.id == course.id }.status)
            val reviewed = assertFailsWith<ApiException.Conflict> { core.deleteAchievement(paper.id) }
            assertEquals(ConflictKind.ACHIEVEMENT_REVIEWED, reviewed.kind)

            // 30 research points over five categories.
            val rating = core.rating(null, null)
            assertEquals(6.0, rating.total)
            assertEquals(30uL, rating.categories.first { it.categoryId == "research" }.points)
            assertEquals(6.0, rating.categories.first { it.categoryId == "research" }.contribution)
        }
    }

    @Test fun theAssignedCardsSkillsAreRatedOnTheScale() {
        val server = AdminApi()
        val email = "skills-${UUID.randomUUID()}@test.qamqor.kz"
        val code = server.invite(email)
        QamqorCore.open(tempDb()).use { core ->
            val account = core.register(server.url, code, email, "Данияр", "a long password 1", "Pixel")
            assertNull(core.competencyProfile())
            val none = assertFailsWith<ApiException.InvalidInput> { core.rateSkill("J62011053/1/f1/s1", 2u) }
            assertEquals("skill_id" to InvalidReason.UNKNOWN, none.field to none.reason)

            server.put("/api/v1/admin/people/${account.userId}/competency", """{"occupation_code":"2511-1-005","level":5}""")
            core.sync(null)
            val profile = assertNotNull(core.competencyProfile())
            assertEquals("IT-дизайнер", profile.cardName)
            assertEquals(5.toUByte(), profile.level)
            assertTrue(profile.functions.any { it.name == "БҚ прототиптері бар пайдаланушы сынақтарын өткізу" })
            val skill = profile.functions[0].skills[0].skillId

            core.rateSkill(skill, 3u)
            assertEquals(3.toUByte(), core.competencyProfile()!!.functions[0].skills[0].own)
            assertTrue(core.competencyProfile()!!.functions[0].strong)
            val tooHigh = assertFailsWith<ApiException.InvalidInput> { core.rateSkill(skill, 5u) }
            assertEquals("score" to InvalidReason.OUT_OF_RANGE, tooHigh.field to tooHigh.reason)
            val otherCard = assertFailsWith<ApiException.InvalidInput> { core.rateSkill("J000/1/f1/s1", 2u) }
            assertEquals("skill_id", otherCard.field)
            core.sync(null)
            assertEquals(0uL, core.pendingChangeCount())
        }
    }
}

/** The admin API of the test server started by scripts/test-kotlin.sh, as the panel uses it. */
private class AdminApi {
    val url: String = System.getenv("QAMQOR_TEST_SERVER_URL") ?: error("run through scripts/test-kotlin.sh")
    private val http: HttpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
    private val token: String by lazy {
        val body = """{"email":"${System.getenv("QAMQOR_TEST_ADMIN_EMAIL")}","password":"${System.getenv("QAMQOR_TEST_ADMIN_PASSWORD")}","device_name":"kotlin ratings"}"""
        field(post("/api/v1/auth/login", body, null, 200), "access_token")
    }

    fun invite(email: String): String = field(post("/api/v1/invitations", """{"email":"$email","role":"employee"}""", token, 201), "code")

    fun review(achievementId: String, body: String) {
        post("/api/v1/admin/achievements/$achievementId/review", body, token, 200)
    }

    fun put(path: String, body: String) {
        val request = HttpRequest.newBuilder(URI.create(url + path))
            .header("Qamqor-Protocol", "1")
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer $token")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        assertEquals(200, response.statusCode(), "PUT $path: ${response.body()}")
    }

    private fun post(path: String, body: String, token: String?, expect: Int): String {
        val request = HttpRequest.newBuilder(URI.create(url + path))
            .header("Qamqor-Protocol", "1")
            .header("Content-Type", "application/json")
            .apply { if (token != null) header("Authorization", "Bearer $token") }
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        assertEquals(expect, response.statusCode(), "POST $path: ${response.body()}")
        return response.body()
    }

    private fun field(body: String, key: String): String =
        Regex("\"$key\"\\s*:\\s*\"([^\"]*)\"").find(body)?.groupValues?.get(1) ?: error("no $key in $body")
}
