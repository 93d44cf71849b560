package kz.qamqor.state

import java.time.LocalDateTime
import java.time.ZoneId
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kz.qamqor.core.DataKind
import kz.qamqor.core.DeletionRequestStatus
import kz.qamqor.core.FactorKind
import kz.qamqor.core.Language
import kz.qamqor.core.MissingData
import kz.qamqor.core.PrivacyPolicy
import kz.qamqor.core.RiskLevel
import kz.qamqor.core.RiskSuggestion
import kz.qamqor.core.TaskStatus
import kz.qamqor.core.Weekday
import org.junit.Test

/**
 * A person's way through the app, driven through the state holders the screens use, against the
 * real core and the real server: joining with an invitation, the day's check-in and work, the
 * risk changing with its reasons, a network that drops and a server that is down, the manager's
 * message and task, the language, the export, and the person's second phone seeing it all.
 */
class PersonJourneyTest {
    private val email = TestServer.newEmail()
    private val password = "a-long-password-1"
    private val zone = middayZone()

    @Test fun aPersonJoinsRecordsTheirDayThroughOutagesAndFindsItAllOnTheirSecondPhone() {
        val code = TestServer.invite(email)
        FlakyLink(TestServer.url).use { link ->
            Phone(phoneLanguage = Language.EN).use { phone ->
                val userId = join(phone, link.url, code)
                recordTheDay(phone)
                syncThroughOutages(phone, link)
                hearFromTheManager(phone, userId)
                switchLanguageAndExport(phone)
                Phone(phoneLanguage = Language.RU).use { second -> secondPhone(second, code, userId, first = phone) }
            }
        }
    }

    /** Onboarding with the server address and invitation code; the organisation's policy shows. */
    private fun join(phone: Phone, serverUrl: String, code: String): String {
        val onboarding = phone.onboarding()
        onboarding.refresh().await()
        val start = onboarding.state.value
        assertEquals(OnboardingStep.CONNECT, start.step)
        assertNull(start.privacy?.organisation, "no organisation before joining")
        assertEquals(PrivacyPolicy.AGGREGATE, start.privacy?.policy, "private by default")

        onboarding.setServerUrl(serverUrl)
        onboarding.setInviteCode(code)
        onboarding.setEmail(email)
        onboarding.setName("Айгерім Сейітова")
        onboarding.setPassword(password)
        onboarding.submit().await()
        val joined = onboarding.state.value
        assertNull(joined.error)
        assertNull(joined.firstSyncError)
        assertEquals(OnboardingStep.PRIVACY, joined.step)
        assertEquals("", joined.password, "the password is not kept")
        val account = assertNotNull(joined.account)
        assertEquals(email, account.email)
        val privacy = assertNotNull(joined.privacy)
        assertEquals(TestServer.organisation, privacy.organisation, "the first sync brought the organisation's settings")
        assertEquals(PrivacyPolicy.AGGREGATE, privacy.policy)
        assertTrue(DataKind.RISK_LEVEL in privacy.managerSeesOnlyInGroups)
        assertTrue(DataKind.RISK_FACTORS in privacy.neverLeavesThisPhone)
        onboarding.finish().await()
        assertEquals(OnboardingStep.DONE, onboarding.state.value.step)

        // The name given when joining started the profile, in the app's language.
        val profile = phone.profile()
        profile.refresh().await()
        assertEquals("Айгерім Сейітова", profile.state.value.profile?.name)
        assertEquals(Language.EN, profile.state.value.profile?.language)
        assertFalse(profile.state.value.isNew)
        profile.edit { it.copy(schedule = it.schedule.copy(workingDays = Weekday.entries, timeZone = zone)) }
        assertTrue(profile.state.value.dirty)
        profile.save().await()
        assertNull(profile.state.value.error)
        assertFalse(profile.state.value.dirty)
        return account.userId
    }

    /** The check-in, the timer, a session entered afterwards, the questionnaire, and the risk changing. */
    private fun recordTheDay(phone: Phone) {
        val risk = phone.risk()
        risk.refresh().await()
        risk.state.value.let {
            assertTrue(it.notEnoughData, "not enough data yet, and it says so")
            assertNull(it.level)
            assertTrue(MissingData.CHECK_INS in it.missing)
            assertEquals(listOf(RiskSuggestion.KEEP_BREAKS, RiskSuggestion.TALK_TO_SOMEONE), it.suggestions, "general advice without reasons; someone to talk to always")
        }

        val today = phone.today()
        today.refresh().await()
        assertEquals(true, today.state.value.nudges?.checkInDue)
        assertEquals(TodayUiState.DEFAULT_CHECK_IN, today.state.value.draft)
        today.editCheckIn { it.copy(fatigue = 9u, sleepHours = 4.5) }
        today.submitCheckIn().await()
        assertNull(today.state.value.error)
        assertEquals(9, today.state.value.checkIn?.fatigue?.toInt())
        assertEquals(false, today.state.value.nudges?.checkInDue)

        today.startTimer().await()
        val running = assertNotNull(today.state.value.running)
        today.stopTimer(at = running.startedAt.plusSeconds(1)).await()
        assertNull(today.state.value.running)
        val now = LocalDateTime.now(ZoneId.of(zone))
        today.openSessionForm(now.minusHours(4), now.minusHours(1))
        today.editSession { it.copy(note = "quarterly report") }
        today.saveSession().await()
        assertNull(today.state.value.error)
        assertNull(today.state.value.sessionDraft, "the form closes once saved")
        assertEquals(2, today.state.value.sessions.size)
        assertTrue(today.state.value.today!!.workedMinutes >= 180)

        val questionnaire = phone.questionnaire()
        questionnaire.refresh().await()
        assertTrue(questionnaire.state.value.due)
        questionnaire.state.value.items.indices.forEach { questionnaire.answer(it, 4u) }
        questionnaire.submit().await()
        assertNull(questionnaire.state.value.error)
        assertEquals(100.0, questionnaire.state.value.submitted?.scores?.personal)
        assertFalse(questionnaire.state.value.due)

        risk.refresh().await()
        val assessed = risk.state.value
        assertFalse(assessed.notEnoughData)
        assertEquals(RiskLevel.HIGH, assessed.level)
        val fatigue = assertNotNull(assessed.factors.find { it.kind == FactorKind.FATIGUE })
        assertEquals(9.0, fatigue.value, "the reason comes with the person's value")
        assertTrue(assessed.factors.zipWithNext().all { (a, b) -> Math.abs(a.contribution) >= Math.abs(b.contribution) }, "largest first")
        assertTrue(RiskSuggestion.REST in assessed.suggestions, "fatigue 9 brings rest")
        assertEquals(RiskSuggestion.TALK_TO_SOMEONE, assessed.suggestions.last())
        assertEquals(5, assessed.trend.size, "four previous weeks and now")
        assertEquals(1, assessed.history.size, "today's assessment is kept")
    }

    /** Changes made offline wait on the phone; the sync waits to retry, then finishes; a server error shows with a retry. */
    private fun syncThroughOutages(phone: Phone, link: FlakyLink) {
        val sync = phone.sync
        sync.syncNow().await()
        assertNull(sync.state.value.error)
        assertEquals(0L, sync.state.value.pendingChanges)
        assertNotNull(sync.state.value.lastSuccessAt)

        link.mode = FlakyLink.Mode.OFFLINE
        val tasks = phone.tasks()
        tasks.refresh().await()
        tasks.newTask()
        tasks.editDraft { it.copy(title = "Prepare the release notes", estimateMinutes = "90") }
        tasks.save().await()
        assertNull(tasks.state.value.error)
        assertEquals(listOf("Prepare the release notes"), tasks.state.value.tasks.map { it.title })
        val today = phone.today()
        today.refresh().await()
        assertEquals(9, today.state.value.draft.fatigue.toInt(), "the form starts from today's answers")
        today.editCheckIn { it.copy(fatigue = 7u) }
        today.submitCheckIn().await()
        sync.refresh().await()
        assertEquals(2L, sync.state.value.pendingChanges, "recorded offline, waiting on the phone")

        val syncing = sync.syncNow()
        val waiting = sync.state.awaitState("the sync to wait for the network") { it.waitingToRetry }
        assertNotNull(waiting.progress?.lastError, "the screen can say why it waits")
        link.mode = FlakyLink.Mode.ONLINE
        syncing.await()
        assertNull(sync.state.value.error)
        assertEquals(0L, sync.state.value.pendingChanges)
        assertTrue((sync.state.value.lastReport?.pushed ?: 0uL) >= 2uL)

        val task = tasks.state.value.tasks.single()
        tasks.setStatus(task.id, TaskStatus.DONE).await()
        link.mode = FlakyLink.Mode.UNAVAILABLE
        sync.syncNow().await()
        val failed = assertNotNull(sync.state.value.error)
        assertEquals(ErrorKey.SYNC_SERVER, failed.key)
        assertEquals("unavailable", failed.code)
        assertEquals(ErrorAction.RETRY, failed.action)
        assertEquals(1L, sync.state.value.pendingChanges, "nothing is lost")
        // After a restart the status still shows it: the core keeps the last error.
        val afterRestart = SyncState(phone.scope, phone.access)
        afterRestart.refresh().await()
        assertEquals(ErrorKey.SYNC_SERVER, afterRestart.state.value.error?.key)
        assertEquals("unavailable", afterRestart.state.value.error?.code)

        link.mode = FlakyLink.Mode.ONLINE
        sync.retry().await()
        assertNull(sync.state.value.error)
        assertEquals(0L, sync.state.value.pendingChanges)
    }

    /** A message and a task from the manager arrive with the next sync. */
    private fun hearFromTheManager(phone: Phone, userId: String) {
        TestServer.sendFeedback(userId, "Thank you for the demo. Take Friday off!")
        TestServer.assignTask(userId, "Review the onboarding guide")
        phone.sync.syncNow().await()
        assertNull(phone.sync.state.value.error)

        val feedback = phone.feedback()
        feedback.refresh().await()
        val message = feedback.state.value.messages.single()
        assertEquals("Thank you for the demo. Take Friday off!", message.message)
        assertEquals("Test Admin", message.fromName)
        assertEquals(1, feedback.state.value.unread)
        feedback.markRead(message.id).await()
        assertEquals(0, feedback.state.value.unread)
        feedback.markRead("no-such-message").await()
        assertEquals(ErrorKey.NOT_FOUND, feedback.state.value.error?.key)

        val tasks = phone.tasks()
        tasks.setFilter(TaskStatus.TODO).await()
        val assigned = tasks.state.value.tasks.single()
        assertEquals("Review the onboarding guide", assigned.title)
        assertEquals("Test Admin", assigned.assignedBy)
    }

    private fun switchLanguageAndExport(phone: Phone) {
        phone.language.refresh().await()
        assertEquals(LanguageUiState(Language.EN, LanguageSource.PROFILE), phone.language.state.value)
        phone.language.select(Language.KK).await()
        assertEquals(LanguageUiState(Language.KK, LanguageSource.PROFILE), phone.language.state.value)
        assertEquals(Language.KK, phone.core.profile().language, "saved in the profile, so the other phone follows")
        phone.sync.syncNow().await()
        assertNull(phone.sync.state.value.error)

        val privacy = phone.privacy()
        privacy.refresh().await()
        privacy.export(ExportFormat.JSON).await()
        val json = privacy.state.value.export!!.single()
        assertTrue(json.name.endsWith(".json"))
        assertEquals("application/json", json.mimeType)
        assertTrue("Prepare the release notes" in json.content && "Айгерім Сейітова" in json.content)
        privacy.exportShared()
        assertNull(privacy.state.value.export)
        privacy.export(ExportFormat.CSV).await()
        val csv = privacy.state.value.export!!
        assertTrue(csv.any { it.name.endsWith("check_ins.csv") } && csv.all { it.mimeType == "text/csv" })
        // asking for deletion: whom it goes to first, then recorded on the phone, sent by the sync
        assertTrue(privacy.state.value.hasAccount)
        assertNull(privacy.state.value.deletionRequest)
        privacy.requestDeletion()
        assertEquals(DeletionPrompt(TestServer.organisation), privacy.state.value.deletion, "the screen says whom it goes to")
        privacy.confirmDeletion().await()
        assertNull(privacy.state.value.error)
        assertNull(privacy.state.value.deletion)
        val asked = assertNotNull(privacy.state.value.deletionRequest)
        assertEquals(DeletionRequestStatus.WAITING_TO_SEND, asked.status)
        assertFalse(asked.id in TestServer.deletionRequests(), "not on the server before the sync")
        phone.sync.syncNow().await()
        assertNull(phone.sync.state.value.error)
        privacy.refresh().await()
        assertEquals(DeletionRequestStatus.RECEIVED, privacy.state.value.deletionRequest?.status)
        assertTrue(asked.id in TestServer.deletionRequests(), "the organisation's admin sees it")
        privacy.requestDeletion()
        privacy.confirmDeletion().await()
        assertEquals(asked.id, privacy.state.value.deletionRequest?.id, "asking again is the same request")
    }

    /** The same person on a second phone: the used code is refused, signing in works, and everything is there. */
    private fun secondPhone(second: Phone, code: String, userId: String, first: Phone) {
        val onboarding = second.onboarding("Galaxy Tab")
        onboarding.refresh().await()
        onboarding.setServerUrl(TestServer.url)
        onboarding.setInviteCode(code)
        onboarding.setEmail(email)
        onboarding.setName("Айгерім")
        onboarding.setPassword(password)
        onboarding.submit().await()
        val refused = assertNotNull(onboarding.state.value.error)
        assertEquals(ErrorKey.SYNC_SERVER, refused.key)
        assertEquals("invitation_used", refused.code)
        assertEquals(ErrorAction.NONE, refused.action, "the core says the same invitation will not work later either: no retry")
        assertEquals(OnboardingStep.CONNECT, onboarding.state.value.step)

        onboarding.setMode(OnboardingMode.SIGN_IN)
        onboarding.setPassword("a-wrong-password")
        onboarding.submit().await()
        assertEquals(ErrorKey.SYNC_WRONG_CREDENTIALS, onboarding.state.value.error?.key)
        onboarding.setPassword(password)
        onboarding.submit().await()
        assertNull(onboarding.state.value.error)
        assertEquals(userId, onboarding.state.value.account?.userId)
        assertEquals(OnboardingStep.PRIVACY, onboarding.state.value.step)

        second.language.refresh().await()
        assertEquals(LanguageUiState(Language.KK, LanguageSource.PROFILE), second.language.state.value, "the profile's language wins over the phone's")

        val today = second.today()
        today.refresh().await()
        assertEquals(7, today.state.value.checkIn?.fatigue?.toInt(), "the latest check-in of the day")
        assertEquals(first.today().also { it.refresh().await() }.state.value.today?.workedMinutes, today.state.value.today?.workedMinutes)
        assertEquals(
            setOf("Prepare the release notes" to TaskStatus.DONE, "Review the onboarding guide" to TaskStatus.TODO),
            second.tasks().also { it.refresh().await() }.state.value.tasks.map { it.title to it.status }.toSet(),
        )
        assertEquals(1, second.feedback().also { it.refresh().await() }.state.value.messages.size)
        val history = second.history()
        history.refresh().await()
        assertTrue((history.state.value.bars.last().value ?: 0.0) >= 3.0, "today's hours in the chart")

        val risk = second.risk()
        risk.refresh().await()
        assertEquals(7.0, risk.state.value.factors.find { it.kind == FactorKind.FATIGUE }?.value)
        second.sync.refresh().await()
        assertTrue(second.sync.state.value.signedIn)
        assertNull(second.sync.state.value.error)

        val privacy = second.privacy()
        privacy.refresh().await()
        assertEquals(first.core.deletionRequest()?.id, privacy.state.value.deletionRequest?.id, "the deletion request, received")
        assertEquals(DeletionRequestStatus.RECEIVED, privacy.state.value.deletionRequest?.status)
    }
}
