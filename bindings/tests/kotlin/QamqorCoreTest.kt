package kz.qamqor.core.test

import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import java.nio.file.Files
import java.time.Instant
import java.time.LocalDate
import java.time.temporal.ChronoUnit
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import javax.imageio.ImageIO
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kz.qamqor.core.*
import org.junit.Test

/** The generated Kotlin bindings against the real core library built for the host. */
class QamqorCoreTest {
    private fun tempDb(): String = Files.createTempDirectory("qamqor-kt").resolve("qamqor.db").toString()

    private fun profileInput(name: String = "Айгерім") = ProfileInput(
        name = name,
        department = "Platform",
        position = "Backend developer",
        qualificationLevel = 6u,
        schedule = WorkSchedule(
            workingDays = listOf(Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY),
            startMinute = 540u,
            endMinute = 1080u,
            timeZone = "Asia/Almaty",
        ),
        remoteWork = true,
        language = Language.KK,
    )

    private fun pngBytes(w: Int, h: Int): ByteArray {
        val img = BufferedImage(w, h, BufferedImage.TYPE_INT_RGB)
        val out = ByteArrayOutputStream()
        ImageIO.write(img, "png", out)
        return out.toByteArray()
    }

    private fun checkIn(fatigue: Int) = CheckInInput(fatigue.toUByte(), 3u, 4u, 7.5, null)

    @Test fun profileIsSavedValidatedAndPersisted() {
        val path = tempDb()
        QamqorCore.open(path).use { core ->
            assertNull(core.profile().updatedAt)
            assertEquals(Language.RU, core.profile().language)
            val saved = core.updateProfile(profileInput())
            assertEquals("Айгерім", saved.name)
            assertNotNull(saved.updatedAt)

            val e = assertFailsWith<ApiException.InvalidInput> {
                core.updateProfile(profileInput().copy(qualificationLevel = 9u))
            }
            assertEquals("qualification_level", e.field)
            assertEquals(InvalidReason.OUT_OF_RANGE, e.reason)
            val tz = assertFailsWith<ApiException.InvalidInput> {
                core.updateProfile(profileInput().copy(schedule = profileInput().schedule.copy(timeZone = "Mars/Base")))
            }
            assertEquals("schedule.time_zone", tz.field)
            assertEquals(InvalidReason.BAD_FORMAT, tz.reason)
            assertEquals(InvalidReason.EMPTY, assertFailsWith<ApiException.InvalidInput> { core.updateProfile(profileInput(" ")) }.reason)
            assertEquals("Айгерім", core.profile().name, "rejected updates change nothing")
        }
        QamqorCore.open(path).use { assertEquals("Platform", it.profile().department) }
    }

    @Test fun profilePhotoGoesThroughThePipeline() {
        QamqorCore.open(tempDb()).use { core ->
            core.updateProfile(profileInput())
            val notImage = assertFailsWith<ApiException.InvalidInput> { core.setProfilePhoto("hello".toByteArray()) }
            assertEquals(InvalidReason.NOT_AN_IMAGE, notImage.reason)
            assertEquals("photo", notImage.field)
            assertTrue(core.setProfilePhoto(pngBytes(1000, 500)).hasPhoto)
            val jpeg = assertNotNull(core.profilePhoto())
            val img = ImageIO.read(jpeg.inputStream())
            assertEquals(512, img.width)
            assertEquals(256, img.height)
            assertFalse(core.removeProfilePhoto().hasPhoto)
            assertNull(core.profilePhoto())
        }
    }

    @Test fun workTimerAndManualSessions() {
        QamqorCore.open(tempDb()).use { core ->
            val running = core.startTimer("focus")
            assertNull(running.endedAt)
            assertEquals(SessionSource.TIMER, running.source)
            assertEquals(running.id, core.runningSession()?.id)
            val again = assertFailsWith<ApiException.Conflict> { core.startTimer(null) }
            assertEquals(ConflictKind.TIMER_ALREADY_RUNNING, again.kind)
            val early = assertFailsWith<ApiException.InvalidInput> { core.stopTimer(running.startedAt.minusSeconds(60)) }
            assertEquals(InvalidReason.END_BEFORE_START, early.reason)
            // Stop one second after the start (within the core's clock-drift tolerance), so the
            // session has a length however fast this test runs.
            val stopped = core.stopTimer(running.startedAt.plusSeconds(1))
            assertEquals(running.startedAt.plusSeconds(1), stopped.endedAt)
            assertNull(core.runningSession())
            assertEquals(ConflictKind.NO_RUNNING_TIMER, assertFailsWith<ApiException.Conflict> { core.stopTimer(null) }.kind)

            val now = Instant.now()
            val s = core.addSession(now.minus(5, ChronoUnit.HOURS), now.minus(3, ChronoUnit.HOURS), "report")
            assertEquals(120L, s.minutes)
            assertEquals(SessionSource.MANUAL, s.source)
            val overlap = assertFailsWith<ApiException.Conflict> {
                core.addSession(now.minus(4, ChronoUnit.HOURS), now.minus(2, ChronoUnit.HOURS), null)
            }
            assertEquals(ConflictKind.SESSION_OVERLAP, overlap.kind)
            val future = assertFailsWith<ApiException.InvalidInput> { core.addSession(now, now.plus(2, ChronoUnit.HOURS), null) }
            assertEquals(InvalidReason.IN_FUTURE, future.reason)
            assertEquals("ended_at", future.field)
            val backwards = assertFailsWith<ApiException.InvalidInput> {
                core.addSession(now.minus(1, ChronoUnit.HOURS), now.minus(2, ChronoUnit.HOURS), null)
            }
            assertEquals(InvalidReason.END_BEFORE_START, backwards.reason)

            // A wall-clock time read by the core in the person's zone (the default schedule: Asia/Almaty, UTC+5).
            assertEquals(Instant.parse("2026-03-01T04:30:00Z"), core.localTimeToInstant("started_at", "2026-03-01T09:30"))
            val badTime = assertFailsWith<ApiException.InvalidInput> { core.localTimeToInstant("ended_at", "tomorrow 9:30") }
            assertEquals("ended_at", badTime.field)
            assertEquals(InvalidReason.BAD_FORMAT, badTime.reason)

            val today = LocalDate.parse(core.today())
            val listed = core.sessions(today.minusDays(1).toString(), today.toString())
            assertTrue(listed.any { it.id == s.id })
            core.deleteSession(s.id)
            assertFalse(core.sessions(today.minusDays(1).toString(), today.toString()).any { it.id == s.id })
            val gone = assertFailsWith<ApiException.NotFound> { core.deleteSession(s.id) }
            assertEquals("work_session", gone.entity)
            assertEquals(s.id, gone.id)
            val extreme = assertFailsWith<ApiException.InvalidInput> { core.addSession(Instant.MAX.minusSeconds(60), Instant.MAX, null) }
            assertEquals("started_at", extreme.field)
            assertEquals(InvalidReason.OUT_OF_RANGE, extreme.reason)
            val badDate = assertFailsWith<ApiException.InvalidInput> { core.sessions("yesterday", "2026-01-01") }
            assertEquals("from", badDate.field)
        }
    }

    @Test fun tasks() {
        QamqorCore.open(tempDb()).use { core ->
            val t = core.addTask(TaskInput("Write the report", "draft first", "2026-12-01", 90u, "Ерлан"))
            assertEquals(TaskStatus.TODO, t.status)
            assertEquals("2026-12-01", t.dueDate)
            assertEquals(90u, t.estimateMinutes)
            val started = core.setTaskStatus(t.id, TaskStatus.IN_PROGRESS)
            assertEquals(TaskStatus.IN_PROGRESS, started.status)
            val done = core.setTaskStatus(t.id, TaskStatus.DONE)
            assertNotNull(done.completedAt)
            val edited = core.editTask(t.id, TaskInput("Write the final report", null, null, null, null))
            assertEquals("Write the final report", edited.title)
            assertEquals(edited, core.task(t.id))
            assertEquals(listOf(edited), core.tasks(TaskStatus.DONE))
            assertEquals(0, core.tasks(TaskStatus.TODO).size)
            assertEquals(1, core.tasks(null).size)

            assertEquals("title", assertFailsWith<ApiException.InvalidInput> { core.addTask(TaskInput("", null, null, null, null)) }.field)
            val badDue = assertFailsWith<ApiException.InvalidInput> { core.addTask(TaskInput("x", null, "31/12/2026", null, null)) }
            assertEquals("due_date", badDue.field)
            assertEquals(InvalidReason.BAD_FORMAT, badDue.reason)
            assertEquals("task", assertFailsWith<ApiException.NotFound> { core.task("missing") }.entity)
            assertFailsWith<ApiException.NotFound> { core.setTaskStatus("missing", TaskStatus.DONE) }
            assertFailsWith<ApiException.NotFound> { core.editTask("missing", TaskInput("x", null, null, null, null)) }
        }
    }

    @Test fun checkInsReplaceWithinADayAndKeepHistory() {
        QamqorCore.open(tempDb()).use { core ->
            assertNull(core.todaysCheckIn())
            val first = core.recordCheckIn(checkIn(3))
            val second = core.recordCheckIn(checkIn(8).copy(note = "long day"))
            assertEquals(second, core.todaysCheckIn())
            val today = core.today()
            assertEquals(listOf(second), core.checkIns(today, today))
            val history = core.checkInHistory(today, today)
            assertEquals(listOf(first.id, second.id), history.map { it.id })
            assertTrue(history[0].replaced)
            for ((input, field) in listOf(
                checkIn(11) to "fatigue",
                checkIn(1).copy(stress = 0u) to "stress",
                checkIn(1).copy(mood = 6u) to "mood",
                checkIn(1).copy(sleepHours = 30.0) to "sleep_hours",
            )) {
                val e = assertFailsWith<ApiException.InvalidInput> { core.recordCheckIn(input) }
                assertEquals(field, e.field)
                assertEquals(InvalidReason.OUT_OF_RANGE, e.reason)
            }
            assertEquals(2, core.checkInHistory(today, today).size)
        }
    }

    @Test fun burnoutQuestionnaire() {
        val items = cbiItems(Language.KK)
        assertEquals(19, items.size)
        assertEquals(listOf(13.toUByte()), items.filter { it.reverseScored }.map { it.number })
        assertEquals(CbiScale.WORK_RELATED, items[12].scale)
        assertTrue(items.all { it.text.isNotBlank() })
        assertEquals("Always", cbiAnswerLabels(CbiAnswerKind.FREQUENCY, Language.EN)[4])
        assertEquals(5, cbiAnswerLabels(CbiAnswerKind.DEGREE, Language.RU).size)
        QamqorCore.open(tempDb()).use { core ->
            val answers: List<UByte?> = List(13) { 2.toUByte() } + List(6) { null }
            val r = core.recordCbi(answers)
            assertEquals(50.0, r.scores.personal)
            assertNull(r.scores.clientRelated)
            assertEquals(listOf(r), core.cbiResponses())
            val bad = assertFailsWith<ApiException.InvalidInput> { core.recordCbi(List(19) { 5.toUByte() }) }
            assertEquals("answers[1]", bad.field)
            assertFailsWith<ApiException.InvalidInput> { core.recordCbi(List(3) { 1.toUByte() }) }
            assertEquals(1, core.cbiResponses().size)
        }
    }

    @Test fun statisticsActivityAndExport() {
        QamqorCore.open(tempDb()).use { core ->
            core.updateProfile(profileInput())
            val now = Instant.now()
            core.addSession(now.minus(3, ChronoUnit.HOURS), now.minus(1, ChronoUnit.HOURS), null)
            core.recordCheckIn(checkIn(6))
            assertEquals(1u, core.recordAppOpen().openCount)
            assertEquals(2u, core.recordAppOpen().openCount)
            val today = LocalDate.parse(core.today())
            assertEquals(1, core.appOpenDays(today.toString(), today.toString()).size)

            val o = core.statsOverview()
            assertEquals(7, o.last7Days.size)
            assertEquals(12, o.last12Weeks.size)
            assertEquals(core.today(), o.today.date)
            assertEquals(6.toUByte(), o.today.checkIn?.fatigue)
            assertEquals(1u, o.checkInStreak)
            val days = core.dayStats(today.minusDays(1).toString(), today.toString())
            assertEquals(120L, days.sumOf { it.workedMinutes }, "the session may straddle local midnight")
            val w = core.weekStats(o.thisWeek.isoYear, o.thisWeek.isoWeek)
            assertEquals(o.thisWeek, w)
            assertEquals("week", assertFailsWith<ApiException.InvalidInput> { core.weekStats(2026, 60u) }.field)
            val range = assertFailsWith<ApiException.InvalidInput> { core.dayStats(today.toString(), today.minusDays(1).toString()) }
            assertEquals(InvalidReason.END_BEFORE_START, range.reason)

            // profile + session + check-in + app open day
            assertEquals(4uL, core.pendingChangeCount())
            val json = core.exportJson()
            assertTrue(json.contains("\"work_sessions\"") && json.contains("Айгерім"))
            val files = core.exportCsv().associateBy { it.name }
            assertEquals(2, files.getValue("check_ins.csv").content.trim().lines().size)
            assertTrue(files.getValue("profile.csv").content.contains("Asia/Almaty"))
        }
    }

    @Test fun dataPersistsAcrossReopeningAndDeviceIdIsStable() {
        val path = tempDb()
        val (deviceId, taskId) = QamqorCore.open(path).use { core ->
            core.recordCheckIn(checkIn(4))
            core.deviceId() to core.addTask(TaskInput("persist me", null, null, null, null)).id
        }
        QamqorCore.open(path).use { core ->
            assertEquals(deviceId, core.deviceId())
            assertEquals("persist me", core.task(taskId).title)
            assertEquals(4.toUByte(), core.todaysCheckIn()?.fatigue)
            assertEquals(2uL, core.pendingChangeCount())
        }
    }

    @Test fun openingAnUnusablePathIsAStorageError() {
        val e = assertFailsWith<ApiException.Storage> { QamqorCore.open("/nonexistent-dir/deeper/qamqor.db") }
        assertTrue(e.detail.isNotEmpty())
    }

    @Test fun oneCoreIsSafeToUseFromManyThreads() {
        QamqorCore.open(tempDb()).use { core ->
            val pool = Executors.newFixedThreadPool(6)
            repeat(120) { i -> pool.submit { core.addTask(TaskInput("task $i", null, null, null, null)); core.statsOverview() } }
            pool.shutdown()
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS))
            assertEquals(120, core.tasks(null).size)
            assertEquals(120uL, core.pendingChangeCount())
        }
    }

    @Test fun burnoutRiskIsHonestExplainedAndKeptAsHistory() {
        QamqorCore.open(tempDb()).use { core ->
            core.updateProfile(profileInput())
            assertNull(core.latestRiskAssessment(), "nothing assessed yet")
            val empty = core.assessRisk()
            assertEquals(listOf(RiskSuggestion.KEEP_BREAKS, RiskSuggestion.TALK_TO_SOMEONE), empty.suggestions)
            assertNull(empty.score)
            assertNull(empty.level)
            assertTrue(empty.factors.isEmpty())
            assertTrue(MissingData.CHECK_INS in empty.missing)
            assertEquals("1.0.0", empty.modelVersion)
            assertEquals("1.0.0", core.riskModelVersion())

            // A questionnaire with high scores is enough data on its own.
            core.recordCbi(List(19) { 4.toUByte() })
            core.recordCheckIn(checkIn(9).copy(sleepHours = 4.5))
            val a = core.assessRisk()
            val score = assertNotNull(a.score)
            assertTrue(score in 0.0..1.0)
            assertEquals(RiskLevel.HIGH, a.level)
            assertEquals(FactorKind.FATIGUE, a.factors.first().kind)
            assertEquals(9.0, a.factors.first().value)
            val cbi = assertNotNull(a.factors.find { it.kind == FactorKind.BURNOUT_QUESTIONNAIRE })
            assertEquals(FactorSource.LITERATURE, cbi.source)
            assertTrue(a.factors.zipWithNext().all { (x, y) -> Math.abs(x.contribution) >= Math.abs(y.contribution) })
            assertTrue(a.coverage.hasRecentQuestionnaire)
            assertEquals(4, a.previousWeeks.size)
            // What could help, decided by the core: fatigue (the largest reason) first, talking to someone last.
            assertEquals(RiskSuggestion.REST, a.suggestions.first())
            assertEquals(RiskSuggestion.TALK_TO_SOMEONE, a.suggestions.last())
            // Reading the latest assessment writes nothing.
            val pending = core.pendingChangeCount()
            val latest = assertNotNull(core.latestRiskAssessment())
            assertEquals(a.localDate, latest.localDate)
            assertEquals(a.score, latest.score)
            assertEquals(a.suggestions, latest.suggestions)
            assertEquals(pending, core.pendingChangeCount())

            val history = core.riskHistory(10u)
            assertEquals(1, history.size, "one entry per day, the latest")
            assertEquals(a.score, history[0].score)
            assertEquals(a.factors, history[0].factors)

            val bad = assertFailsWith<ApiException.InvalidInput> { core.installRiskModel("{}".toByteArray()) }
            assertEquals("risk_model", bad.field)
            assertEquals(InvalidReason.BAD_FORMAT, bad.reason)
            assertEquals("1.0.0", core.riskModelVersion(), "a rejected model leaves the current one")
        }
    }

    @Test fun syncStatusWorksOfflineAndSyncErrorsSayWhatToDo() {
        QamqorCore.open(tempDb()).use { core ->
            core.addTask(TaskInput("offline task", null, null, null, null))
            val status = core.syncStatus()
            assertFalse(status.signedIn)
            assertNull(status.account)
            assertEquals(1uL, status.pendingChanges)
            assertNull(status.lastSuccessAt)
            assertNull(status.lastErrorKind)

            val notSignedIn = assertFailsWith<ApiException.Sync> { core.sync(null) }
            assertEquals(SyncErrorKind.NOT_SIGNED_IN, notSignedIn.kind)
            assertEquals("not_signed_in", core.syncStatus().lastErrorCode)
            assertEquals(SyncErrorKind.NOT_SIGNED_IN, core.syncStatus().lastErrorKind, "the core reads the kept code's kind")
            assertNotNull(core.syncStatus().lastAttemptAt)

            val badUrl = assertFailsWith<ApiException.InvalidInput> { core.signIn("qamqor.example.kz", "a@b.kz", "password-123", "Pixel") }
            assertEquals("server_url", badUrl.field)
            // Nothing listens on port 9 of this machine: a network error, at once, nothing lost.
            val offline = assertFailsWith<ApiException.Sync> { core.signIn("http://127.0.0.1:9", "a@b.kz", "password-123", "Pixel") }
            assertEquals(SyncErrorKind.NETWORK, offline.kind)
            assertTrue(offline.retryable, "offline is worth retrying")
            assertFalse(notSignedIn.retryable, "signing in first is what helps, not retrying")
            assertEquals(1uL, core.pendingChangeCount())
            assertTrue(core.feedback().isEmpty())
            assertNull(core.orgSettings())

            // A deletion request needs an organisation to ask: without an account, nothing is recorded.
            assertNull(core.deletionRequest())
            assertEquals(SyncErrorKind.NOT_SIGNED_IN, assertFailsWith<ApiException.Sync> { core.requestDeletion() }.kind)
            assertNull(core.deletionRequest())
            assertEquals(1uL, core.pendingChangeCount())
        }
    }
}
