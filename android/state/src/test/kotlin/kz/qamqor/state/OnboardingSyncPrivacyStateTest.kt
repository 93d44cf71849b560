package kz.qamqor.state

import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kz.qamqor.core.DataKind
import kz.qamqor.core.PrivacyPolicy
import org.junit.Test

/** Onboarding's errors, a phone without an account, and the privacy centre before the organisation is known. */
class OnboardingSyncPrivacyStateTest {
    @Test fun aBadServerAddressIsMarkedOnItsField() = Phone().use { phone ->
        val onboarding = phone.onboarding()
        onboarding.refresh().await()
        onboarding.setMode(OnboardingMode.SIGN_IN)
        onboarding.setServerUrl("qamqor.example.kz")
        onboarding.setEmail("a@b.kz")
        onboarding.setPassword("a-long-password-1")
        onboarding.submit().await()
        val error = assertNotNull(onboarding.state.value.error)
        assertEquals(ErrorKey.INVALID_BAD_FORMAT, error.key)
        assertEquals("server_url", error.field)
        assertEquals(OnboardingStep.CONNECT, onboarding.state.value.step)
        onboarding.setEmail("b@b.kz")
        assertNotNull(onboarding.state.value.error, "another field's edit keeps it")
        onboarding.setServerUrl("https://qamqor.example.kz")
        assertNull(onboarding.state.value.error, "editing the field clears it")
    }

    @Test fun anUnreachableServerSaysSoAndKeepsTheForm() = Phone().use { phone ->
        val onboarding = phone.onboarding()
        onboarding.setServerUrl("http://127.0.0.1:9") // nothing listens there
        onboarding.setInviteCode("qic_x")
        onboarding.setEmail("a@b.kz")
        onboarding.setName("Аян")
        onboarding.setPassword("a-long-password-1")
        onboarding.submit().await()
        val s = onboarding.state.value
        assertEquals(ErrorKey.SYNC_NETWORK, s.error?.key)
        assertEquals(ErrorAction.RETRY, s.error?.action)
        assertFalse(s.busy)
        assertEquals("qic_x", s.inviteCode)
        assertEquals(OnboardingStep.CONNECT, s.step)
    }

    @Test fun withoutAnAccountEverythingWorksAndSyncAsksToSignIn() = Phone().use { phone ->
        val onboarding = phone.onboarding()
        onboarding.refresh().await()
        onboarding.continueWithoutAccount().await()
        assertEquals(OnboardingStep.PRIVACY, onboarding.state.value.step)
        onboarding.back()
        assertEquals(OnboardingStep.CONNECT, onboarding.state.value.step)
        onboarding.continueWithoutAccount().await()
        onboarding.finish().await()
        assertEquals(OnboardingStep.DONE, onboarding.state.value.step)
        assertTrue(runBlocking { phone.settings.settings.first().onboardingDone })
        phone.onboarding().also { it.refresh().await() }.state.value.let { assertEquals(OnboardingStep.DONE, it.step, "after a restart") }

        val today = phone.today()
        today.refresh().await()
        today.submitCheckIn().await()
        assertNull(today.state.value.error)

        val sync = phone.sync
        sync.refresh().await()
        assertFalse(sync.state.value.signedIn)
        assertEquals(1L, sync.state.value.pendingChanges)
        assertNull(sync.state.value.error, "never tried")
        sync.syncNow().await()
        val error = assertNotNull(sync.state.value.error)
        assertEquals(ErrorKey.SYNC_NOT_SIGNED_IN, error.key)
        assertEquals(ErrorAction.SIGN_IN, error.action)
        assertFalse(sync.state.value.syncing)
        assertEquals(1L, sync.state.value.pendingChanges, "kept for when the person signs in")
        assertEquals(ErrorKey.SYNC_NOT_SIGNED_IN, SyncState(phone.scope, phone.access).also { it.refresh().await() }.state.value.error?.key)
    }

    @Test fun thePrivacyCentreBeforeTheOrganisationIsKnownAndTheExport() = Phone().use { phone ->
        phone.fillProfile("Динара")
        val privacy = phone.privacy()
        privacy.refresh().await()
        val view = assertNotNull(privacy.state.value.view)
        assertNull(view.organisation)
        assertEquals(PrivacyPolicy.AGGREGATE, view.policy)
        assertEquals(5u, view.minGroupSize)
        assertTrue(DataKind.WORK_HOURS in view.managerSees)
        assertTrue(DataKind.RISK_LEVEL in view.managerSeesOnlyInGroups)
        assertTrue(DataKind.CHECK_IN_ANSWERS in view.storedForYourDevicesOnly)
        assertTrue(DataKind.RISK_FACTORS in view.neverLeavesThisPhone && DataKind.PROFILE_PHOTO in view.neverLeavesThisPhone)
        assertNull(privacy.state.value.latestAssessment, "nothing assessed yet")

        // the latest assessment is shown as kept, and showing it writes nothing
        phone.risk().refresh().await()
        val pending = phone.core.pendingChangeCount()
        privacy.refresh().await()
        val latest = assertNotNull(privacy.state.value.latestAssessment)
        assertEquals(phone.core.today(), latest.localDate)
        assertNull(latest.level, "not enough data yet")
        privacy.refresh().await()
        assertEquals(pending, phone.core.pendingChangeCount())
        assertEquals(1, phone.core.riskHistory(10u).size)

        privacy.export(ExportFormat.JSON).await()
        val json = privacy.state.value.export!!.single()
        assertEquals("qamqor-${phone.core.today()}.json", json.name)
        assertTrue("Динара" in json.content)
        privacy.exportShared()
        privacy.export(ExportFormat.CSV).await()
        val csv = assertNotNull(privacy.state.value.export)
        assertTrue(csv.size > 1 && csv.any { it.name.endsWith("profile.csv") && "Динара" in it.content })

        // only on this phone: nobody to ask, and the core records nothing
        assertFalse(privacy.state.value.hasAccount)
        privacy.requestDeletion()
        assertEquals(DeletionPrompt(organisation = null), privacy.state.value.deletion)
        privacy.confirmDeletion().await()
        assertEquals(ErrorKey.SYNC_NOT_SIGNED_IN, privacy.state.value.error?.key)
        assertNull(privacy.state.value.deletionRequest)
        assertNull(phone.core.deletionRequest())
        privacy.dismissDeletion()
        assertNull(privacy.state.value.deletion)
    }
}
