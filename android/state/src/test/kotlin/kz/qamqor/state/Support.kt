package kz.qamqor.state

import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.time.Duration
import java.time.ZoneOffset
import java.time.ZonedDateTime
import java.util.UUID
import java.util.concurrent.ConcurrentLinkedQueue
import kotlin.math.abs
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kz.qamqor.core.Language
import kz.qamqor.core.QamqorCore
import kz.qamqor.core.RatingCatalogue

/** Waits for an intent to finish (the app never waits; a test does, to look at the state after it). */
fun Job.await() = runBlocking { withTimeout(60_000) { join() } }

/** Waits until the state satisfies [predicate] (no sleeping: the flow says when). */
fun <S> StateFlow<S>.awaitState(what: String, predicate: (S) -> Boolean): S = runBlocking {
    try {
        withTimeout(30_000) { first(predicate) }
    } catch (e: kotlinx.coroutines.TimeoutCancellationException) {
        throw AssertionError("timed out waiting for $what; the state is $value", e)
    }
}

/**
 * One phone: the real core on a fresh database, the state holders' plumbing as the app wires it
 * (core calls on Dispatchers.IO), and a record of any coroutine that crashed, which fails the test.
 */
class Phone(
    /** The phone's language (its system locale). */
    phoneLanguage: Language = Language.EN,
) : AutoCloseable {
    private val crashes = ConcurrentLinkedQueue<Throwable>()
    val dbPath: String = Files.createTempDirectory("qamqor-state").resolve("qamqor.db").toString()
    val core: QamqorCore = QamqorCore.open(dbPath)
    val access = CoreAccess(core, Dispatchers.IO)
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default + CoroutineExceptionHandler { _, e -> crashes += e })
    val settings = InMemorySettingsStore()
    val language = LanguageState(scope, access, settings, phoneLanguage)
    val sync = SyncState(scope, access)

    fun onboarding(deviceName: String = "Pixel 8") = OnboardingState(scope, access, settings, deviceName) { language.state.value.language }
    fun today() = TodayState(scope, access)
    fun risk() = RiskState(scope, access)
    fun history() = HistoryState(scope, access)
    fun tasks() = TasksState(scope, access)
    fun questionnaire() = QuestionnaireState(scope, access) { language.state.value.language }
    fun feedback() = FeedbackState(scope, access)
    fun profile() = ProfileState(scope, access) { language.state.value.language }
    fun privacy() = PrivacyState(scope, access)
    fun reminders() = Reminders(access, settings)
    fun achievements(today: () -> java.time.LocalDate = { java.time.LocalDate.now() }) = AchievementsState(scope, access, today)
    fun rating() = RatingState(scope, access)
    fun competency() = CompetencyState(scope, access)

    override fun close() {
        scope.cancel()
        core.close()
        assertTrue(crashes.isEmpty(), "coroutines crashed: ${crashes.joinToString()}")
    }
}

/** A time zone where it is now about 14:00, so that "a few hours ago" is still today, whenever the tests run. */
fun middayZone(): String {
    val offset = 14 - ZonedDateTime.now(ZoneOffset.UTC).hour // -9..14, all real Etc/GMT zones
    return when {
        offset == 0 -> "Etc/UTC"
        offset > 0 -> "Etc/GMT-$offset" // the Etc zones' signs are inverted (POSIX)
        else -> "Etc/GMT+${abs(offset)}"
    }
}

/** The real sync server started by scripts/test-kotlin.sh (scripts/lib/test-server.sh), and its admin. */
object TestServer {
    val url: String = env("QAMQOR_TEST_SERVER_URL")
    val organisation: String = env("QAMQOR_TEST_ORG")
    private val http: HttpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
    private val adminToken: String by lazy {
        val body = json("email" to env("QAMQOR_TEST_ADMIN_EMAIL"), "password" to env("QAMQOR_TEST_ADMIN_PASSWORD"), "device_name" to "kotlin tests")
        jsonString(post("/api/v1/auth/login", body, token = null, expect = 200), "access_token")
    }

    /** A new person's email. */
    fun newEmail(): String = "p-${UUID.randomUUID()}@test.qamqor.kz"

    /** An invitation for an employee, as an admin makes it in the panel: returns the code. */
    fun invite(email: String): String =
        jsonString(post("/api/v1/invitations", json("email" to email, "role" to "employee"), adminToken, expect = 201), "code")

    /** The admin writes to the person (a `feedback` record reaches their phones through pull). */
    fun sendFeedback(userId: String, message: String) {
        post("/api/v1/feedback", json("user_id" to userId, "message" to message), adminToken, expect = 201)
    }

    /** The admin assigns the person a task. */
    fun assignTask(userId: String, title: String) {
        post("/api/v1/tasks", json("user_id" to userId, "title" to title), adminToken, expect = 201)
    }

    /** The deletion requests the admin sees (`GET /api/v1/admin/deletion-requests`), as JSON. */
    fun deletionRequests(): String {
        val request = HttpRequest.newBuilder(URI.create("$url/api/v1/admin/deletion-requests"))
            .header("Qamqor-Protocol", "1")
            .header("Authorization", "Bearer $adminToken")
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        assertEquals(200, response.statusCode(), "GET deletion-requests: ${response.body()}")
        return response.body()
    }

    /** The manager's verdict on an achievement (`verified` or `rejected`, with a comment), as the panel sends it. */
    fun reviewAchievement(achievementId: String, status: String, comment: String) {
        post("/api/v1/admin/achievements/$achievementId/review", json("status" to status, "comment" to comment), adminToken, expect = 200)
    }

    /** The admin assigns the person the profession card of an occupation at a qualification level. */
    fun assignCard(userId: String, occupationCode: String, level: Int) {
        put("/api/v1/admin/people/$userId/competency", "{\"occupation_code\":\"$occupationCode\",\"level\":$level}")
    }

    /** The manager's score (0-4) of one skill of the person's card. */
    fun rateSkill(userId: String, skillId: String, score: Int) {
        put("/api/v1/admin/people/$userId/skills/${java.net.URLEncoder.encode(skillId, Charsets.UTF_8)}", "{\"score\":$score}")
    }

    /** The admin replaces the organisation's rating catalogue (`PUT /api/v1/admin/ratings/catalogue`); every phone pulls it. */
    fun setRatingCatalogue(c: RatingCatalogue) {
        fun str(v: String) = "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
        val categories = c.categories.joinToString(",", "[", "]") {
            "{\"id\":${str(it.id)},\"name\":${str(it.name)},\"weight_percent\":${it.weightPercent},\"archived\":${it.archived}}"
        }
        val types = c.types.joinToString(",", "[", "]") {
            "{\"id\":${str(it.id)},\"category_id\":${str(it.categoryId)},\"name\":${str(it.name)},\"points\":${it.points},\"archived\":${it.archived}}"
        }
        put("/api/v1/admin/ratings/catalogue", "{\"method\":${str(c.method.name.lowercase())},\"categories\":$categories,\"types\":$types}")
    }

    private fun put(path: String, body: String) {
        val request = HttpRequest.newBuilder(URI.create(url + path))
            .header("Qamqor-Protocol", "1")
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer $adminToken")
            .timeout(Duration.ofSeconds(30))
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
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        assertEquals(expect, response.statusCode(), "POST $path: ${response.body()}")
        return response.body()
    }

    private fun env(name: String): String =
        System.getenv(name) ?: error("$name is not set: run the tests through scripts/test-kotlin.sh, which starts the server")
}

/** A flat JSON object of strings. */
fun json(vararg fields: Pair<String, String>): String =
    fields.joinToString(",", "{", "}") { (k, v) -> "\"$k\":\"${v.replace("\\", "\\\\").replace("\"", "\\\"")}\"" }

/** A string field of a flat JSON answer (enough for the few answers these tests read). */
fun jsonString(body: String, key: String): String =
    Regex("\"${Regex.escape(key)}\"\\s*:\\s*\"([^\"]*)\"").find(body)?.groupValues?.get(1) ?: error("no \"$key\" in $body")

/**
 * Fills the profile in (through the profile screen's state) with every day a working day, 09:00 to
 * 18:00, in [middayZone], so that "today" and "a few hours ago" are the same working day whenever
 * the tests run. Returns the zone.
 */
fun Phone.fillProfile(name: String = "Ерлан"): String {
    val zone = middayZone()
    val profile = profile()
    profile.refresh().await()
    profile.edit {
        it.copy(
            name = name,
            schedule = it.schedule.copy(workingDays = kz.qamqor.core.Weekday.entries, startMinute = 540u, endMinute = 1080u, timeZone = zone),
        )
    }
    profile.save().await()
    check(profile.state.value.error == null) { "profile not saved: ${profile.state.value.error}" }
    return zone
}

/**
 * Joins the test server's organisation with a new invitation through the onboarding screen's
 * state, as a person does, and finishes onboarding. Returns the person's user id.
 */
fun Phone.join(name: String = "Әлия Нұрланқызы"): String {
    val email = TestServer.newEmail()
    val onboarding = onboarding()
    onboarding.refresh().await()
    onboarding.setServerUrl(TestServer.url)
    onboarding.setInviteCode(TestServer.invite(email))
    onboarding.setEmail(email)
    onboarding.setName(name)
    onboarding.setPassword("a-long-password-1")
    onboarding.submit().await()
    val joined = onboarding.state.value
    check(joined.error == null && joined.account != null) { "not joined: ${joined.error}" }
    onboarding.finish().await()
    return joined.account!!.userId
}
