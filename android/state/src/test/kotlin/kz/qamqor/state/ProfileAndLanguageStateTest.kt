package kz.qamqor.state

import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kz.qamqor.core.Language
import kz.qamqor.core.Weekday
import org.junit.Test

class ProfileAndLanguageStateTest {
    @Test fun theProfileFormSavesWhatTheCoreAcceptsAndMarksWhatItRefuses() = Phone(phoneLanguage = Language.RU).use { phone ->
        phone.language.refresh().await()
        val profile = phone.profile()
        profile.refresh().await()
        assertTrue(profile.state.value.isNew)
        assertEquals(Language.RU, profile.state.value.draft?.language, "a new profile starts in the app's language")

        profile.save().await()
        assertEquals(ErrorKey.INVALID_EMPTY, profile.state.value.error?.key)
        assertEquals("name", profile.state.value.error?.field)

        profile.edit { it.copy(name = "Ерлан Жақсылықов", schedule = it.schedule.copy(timeZone = "Mars/Base")) }
        assertNull(profile.state.value.error, "editing clears the error")
        profile.save().await()
        assertEquals(ErrorKey.INVALID_BAD_FORMAT, profile.state.value.error?.key)
        assertEquals("schedule.time_zone", profile.state.value.error?.field)
        assertTrue(profile.state.value.isNew, "nothing was saved")

        profile.edit { it.copy(schedule = it.schedule.copy(timeZone = "Asia/Almaty"), qualificationLevel = 9u) }
        profile.save().await()
        assertEquals("qualification_level", profile.state.value.error?.field)
        profile.edit { it.copy(qualificationLevel = 6u, position = "QA engineer") }
        profile.save().await()
        assertNull(profile.state.value.error)
        assertFalse(profile.state.value.isNew)
        assertFalse(profile.state.value.dirty)
        assertEquals("QA engineer", phone.core.profile().position)

        profile.toggleWorkingDay(Weekday.SATURDAY)
        assertEquals(Weekday.entries.take(6), profile.state.value.draft?.schedule?.workingDays)
        assertTrue(profile.state.value.dirty)
        profile.toggleWorkingDay(Weekday.SATURDAY)
        assertFalse(profile.state.value.dirty, "back to the saved profile")

        profile.setPhoto("hello".toByteArray()).await()
        assertEquals(UiError(ErrorKey.INVALID_NOT_AN_IMAGE, field = "photo"), profile.state.value.error?.copy(detail = null))
        profile.setPhoto(png(1000, 500)).await()
        assertNull(profile.state.value.error)
        val jpeg = assertNotNull(profile.state.value.photo)
        assertEquals(listOf(0xFF.toByte(), 0xD8.toByte()), jpeg.take(2), "re-encoded by the core as JPEG")
        assertEquals(true, profile.state.value.profile?.hasPhoto)
        profile.removePhoto().await()
        assertNull(profile.state.value.photo)
        assertEquals(false, profile.state.value.profile?.hasPhoto)
    }

    @Test fun theLanguageFollowsThePhoneThenTheChoiceThenTheProfile() = Phone(phoneLanguage = Language.RU).use { phone ->
        val language = phone.language
        language.refresh().await()
        assertEquals(LanguageUiState(Language.RU, LanguageSource.PHONE), language.state.value)

        language.select(Language.KK).await()
        assertEquals(LanguageUiState(Language.KK, LanguageSource.CHOICE), language.state.value)
        assertEquals(Language.KK, runBlocking { phone.settings.settings.first().language })
        assertNull(phone.core.profile().updatedAt, "no profile was made for it")

        val profile = phone.profile()
        profile.refresh().await()
        assertEquals(Language.KK, profile.state.value.draft?.language)
        profile.edit { it.copy(name = "Әсел") }
        profile.save().await()
        assertEquals(Language.KK, phone.core.profile().language)

        language.refresh().await()
        assertEquals(LanguageUiState(Language.KK, LanguageSource.PROFILE), language.state.value)
        language.select(Language.EN).await()
        assertEquals(LanguageUiState(Language.EN, LanguageSource.PROFILE), language.state.value)
        assertEquals(Language.EN, phone.core.profile().language)
        assertEquals("Әсел", phone.core.profile().name, "only the language changed")
    }

    @Test fun localeTagsMapToTheAppsLanguages() {
        assertEquals(Language.KK, LanguageState.fromLocaleTag("kk-KZ"))
        assertEquals(Language.RU, LanguageState.fromLocaleTag("ru"))
        assertEquals(Language.RU, LanguageState.fromLocaleTag("ru_RU"))
        assertEquals(Language.EN, LanguageState.fromLocaleTag("en-GB"))
        assertEquals(Language.EN, LanguageState.fromLocaleTag("de-DE"))
        assertEquals(listOf("kk", "ru", "en"), Language.entries.map { LanguageState.localeTag(it) })
    }
}
