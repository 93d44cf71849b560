package kz.qamqor.state

import java.time.LocalDate
import java.time.ZoneOffset
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kz.qamqor.core.AchievementStatus
import kz.qamqor.core.RatingMethod
import org.junit.Test

/**
 * "Growth": achievements recorded offline with evidence and reviewed by the manager on the
 * server, the rating they earn, and the profession card's skills, against the real core and the
 * real server.
 */
class GrowthStateTest {
    /** A day safely in the past in every time zone. */
    private val lastWeek = LocalDate.now(ZoneOffset.UTC).minusDays(7)

    @Test fun anAchievementRecordedOfflineIsReviewedByTheManagerAndRaisesTheRating() = Phone().use { phone ->
        phone.join()
        val achievements = phone.achievements()
        val rating = phone.rating()
        achievements.refresh().await()
        rating.refresh().await()
        assertTrue(achievements.state.value.achievements.isEmpty())
        assertEquals(0.0, rating.state.value.rating?.total)
        assertEquals(RatingMethod.AVERAGE, rating.state.value.rating?.method)

        // An article with a photo of the journal page, and a course, recorded before any sync.
        achievements.newAchievement()
        achievements.pickType("research.article")
        achievements.setTitle("Burnout among IT staff in Almaty")
        achievements.setDescription("Vestnik KazNU, issue 3")
        achievements.setAchievedOn(lastWeek.toString())
        achievements.setEvidence(png(1600, 1200))
        achievements.submit().await()
        assertNull(achievements.state.value.error)
        assertNull(achievements.state.value.editor, "the form closes once recorded")
        achievements.newAchievement()
        achievements.pickType("professional.course")
        achievements.setTitle("Kotlin coroutines course")
        achievements.setAchievedOn(lastWeek.minusDays(1).toString())
        achievements.submit().await()
        assertNull(achievements.state.value.error)

        val (paper, course) = achievements.state.value.achievements.let { list -> list.first { it.typeId == "research.article" } to list.first { it.typeId == "professional.course" } }
        assertEquals(listOf(paper.id, course.id), achievements.state.value.achievements.map { it.id }, "the latest day first")
        assertEquals(AchievementStatus.PENDING, paper.status)
        assertTrue(paper.canDelete, "pending: the screen offers delete")
        assertEquals("research", paper.categoryDefaultKey, "the default category, shown in the app's language")
        assertEquals(30u, paper.points, "what the type earns once verified")
        assertNull(paper.review)
        assertTrue(paper.hasEvidence)
        assertFalse(course.hasEvidence)
        achievements.openEvidence(paper.id).await()
        assertTrue(isJpeg(achievements.state.value.evidence?.photo), "the photo as the core keeps it")
        achievements.closeEvidence()
        phone.sync.refresh().await()
        assertEquals(2L, phone.sync.state.value.pendingChanges, "waiting to be sent")
        rating.refresh().await()
        assertEquals(0.0, rating.state.value.rating?.total, "pending achievements count nothing")

        phone.sync.syncNow().await()
        assertNull(phone.sync.state.value.error)
        assertEquals(0L, phone.sync.state.value.pendingChanges)

        // The manager reviews both in the panel; the next sync brings the verdicts.
        TestServer.reviewAchievement(paper.id, "verified", "Great work")
        TestServer.reviewAchievement(course.id, "rejected", "Please attach the certificate")
        phone.sync.syncNow().await()
        assertNull(phone.sync.state.value.error)
        achievements.refresh().await()
        rating.refresh().await()

        val verified = achievements.state.value.achievements.first { it.id == paper.id }
        assertEquals(AchievementStatus.VERIFIED, verified.status)
        assertEquals("Great work", verified.review?.comment)
        assertEquals("Test Admin", verified.review?.reviewerName)
        assertFalse(verified.canDelete, "reviewed: the screen no longer offers delete")
        val rejected = achievements.state.value.achievements.first { it.id == course.id }
        assertEquals(AchievementStatus.REJECTED, rejected.status)
        assertEquals("Please attach the certificate", rejected.review?.comment, "the manager says why")
        assertEquals(0u, rejected.points)
        assertFalse(rejected.canDelete)

        // 30 research points over the five categories of the default catalogue.
        val r = assertNotNull(rating.state.value.rating)
        assertEquals(6.0, r.total)
        assertEquals(30uL, r.points)
        assertEquals(5, r.categories.size)
        assertEquals(6.0, r.categories.first { it.categoryId == "research" }.contribution)
        assertEquals(listOf("research", "professional", "methodical", "social", "organisational"), r.categories.map { it.defaultKey })
        assertEquals(0.0, r.categories.first { it.categoryId == "professional" }.contribution, "the rejected course adds nothing")

        // A reviewed achievement stays: the screen offers no delete, and the core refuses it anyway (the screen says so).
        achievements.delete(paper.id).await()
        assertEquals(ErrorKey.CONFLICT_ACHIEVEMENT_REVIEWED, achievements.state.value.error?.key)
        assertTrue(achievements.state.value.achievements.any { it.id == paper.id })
        achievements.dismissError()

        // The period: the article's day is outside the days after it; an end before the start is refused.
        rating.setPeriod(lastWeek.plusDays(1).toString(), "").await()
        assertEquals(0.0, rating.state.value.rating?.total)
        rating.setPeriod(lastWeek.toString(), lastWeek.toString()).await()
        assertEquals(6.0, rating.state.value.rating?.total)
        rating.setPeriod("2026-02-01", "2026-01-01").await()
        assertEquals("to", rating.state.value.error?.field)
        assertEquals(ErrorKey.INVALID_END_BEFORE_START, rating.state.value.error?.key)
        rating.allTime().await()
        assertNull(rating.state.value.error)
        assertEquals(6.0, rating.state.value.rating?.total)
    }

    @Test fun theFormShowsWhatTheCoreRefusesOnItsFieldAndRecordsNothing() = Phone().use { phone ->
        val achievements = phone.achievements()
        achievements.refresh().await()
        val choices = achievements.state.value.choices
        assertEquals(listOf("research", "professional", "methodical", "social", "organisational"), choices.map { it.category.id })
        assertTrue(choices.first().types.any { it.id == "research.article" && it.points == 30u })
        assertTrue(choices.all { c -> c.types.all { it.recordable } })
        assertEquals(achievements.state.value.catalogue?.types?.size, choices.sumOf { it.types.size }, "the default catalogue: every type may be recorded")

        achievements.newAchievement()
        assertEquals(LocalDate.now().toString(), achievements.state.value.editor?.achievedOn, "a new form starts today")
        achievements.pickType("research.conference_talk")
        achievements.submit().await()
        assertEquals(UiError(ErrorKey.INVALID_EMPTY, field = "title"), achievements.state.value.error?.copy(detail = null))
        assertNotNull(achievements.state.value.editor, "the form stays open")

        achievements.setTitle("Talk at the Astana IT conference")
        achievements.pickType("research.telepathy")
        achievements.submit().await()
        assertEquals("type_id", achievements.state.value.error?.field)
        assertEquals(ErrorKey.INVALID_UNKNOWN, achievements.state.value.error?.key)

        achievements.pickType("research.conference_talk")
        assertEquals("Conference talk", achievements.state.value.pickedType?.name)
        achievements.setAchievedOn(LocalDate.now(ZoneOffset.UTC).plusDays(3).toString())
        achievements.submit().await()
        assertEquals("achieved_on", achievements.state.value.error?.field)
        assertEquals(ErrorKey.INVALID_IN_FUTURE, achievements.state.value.error?.key)

        achievements.setAchievedOn(lastWeek.toString())
        achievements.setEvidence(notAnImage)
        achievements.submit().await()
        assertEquals("evidence", achievements.state.value.error?.field)
        assertEquals(ErrorKey.INVALID_NOT_AN_IMAGE, achievements.state.value.error?.key)

        // Nothing the core refused was recorded or queued.
        achievements.refresh().await()
        assertTrue(achievements.state.value.achievements.isEmpty())
        assertEquals(0uL, phone.core.pendingChangeCount())
        assertEquals("Talk at the Astana IT conference", achievements.state.value.editor?.title, "what was typed stays")

        achievements.setEvidence(png(800, 600))
        assertNull(achievements.state.value.error, "a new photo clears the photo's error")
        achievements.submit().await()
        assertNull(achievements.state.value.error)
        val talk = achievements.state.value.achievements.single()
        assertEquals("Talk at the Astana IT conference", talk.title)
        assertEquals(AchievementStatus.PENDING, talk.status)
        assertTrue(talk.hasEvidence)

        // Pending, so it can still be deleted.
        assertTrue(talk.canDelete)
        achievements.delete(talk.id).await()
        assertNull(achievements.state.value.error)
        assertTrue(achievements.state.value.achievements.isEmpty())
        achievements.delete(talk.id).await()
        assertEquals(ErrorKey.NOT_FOUND, achievements.state.value.error?.key)
    }

    @Test fun theOrganisationsCatalogueDecidesWhatTheFormOffersAndWhichNamesAreTranslated() = Phone().use { phone ->
        // A fresh core: the default catalogue, every category with its key and every type recordable.
        val defaults = phone.core.ratingCatalogue()
        assertEquals(listOf("research", "professional", "methodical", "social", "organisational"), defaults.categories.map { it.defaultKey })
        assertTrue(defaults.types.all { it.recordable })

        phone.join()
        val achievements = phone.achievements()
        val rating = phone.rating()
        achievements.newAchievement()
        achievements.pickType("social.mentoring")
        achievements.setTitle("Mentoring two interns")
        achievements.setAchievedOn(lastWeek.toString())
        achievements.submit().await()
        assertNull(achievements.state.value.error)
        phone.sync.syncNow().await()
        assertNull(phone.sync.state.value.error)

        // The admin renames "social", retires "organisational" and one research type.
        val changed = defaults.copy(
            categories = defaults.categories.map {
                when (it.id) {
                    "social" -> it.copy(name = "Қоғамдық жұмыс")
                    "organisational" -> it.copy(archived = true)
                    else -> it
                }
            },
            types = defaults.types.map { if (it.id == "research.patent") it.copy(archived = true) else it },
        )
        TestServer.setRatingCatalogue(changed)
        try {
            phone.sync.syncNow().await()
            assertNull(phone.sync.state.value.error)
            achievements.refresh().await()
            rating.refresh().await()
            val s = achievements.state.value
            val catalogue = assertNotNull(s.catalogue)

            // The form offers what the core says may be recorded: no retired type, nothing of a retired category.
            assertEquals(listOf("research", "professional", "methodical", "social"), s.choices.map { it.category.id })
            assertFalse(s.choices.flatMap { it.types }.any { it.id == "research.patent" })
            assertFalse(catalogue.types.first { it.id == "research.patent" }.recordable)
            val inRetiredCategory = catalogue.types.filter { it.categoryId == "organisational" }
            assertTrue(inRetiredCategory.isNotEmpty() && inRetiredCategory.all { !it.archived && !it.recordable }, "the type is not retired, its category is")

            // The renamed category is shown as the organisation wrote it; the others stay translated.
            val social = catalogue.categories.first { it.id == "social" }
            assertNull(social.defaultKey)
            assertEquals("Қоғамдық жұмыс", social.name)
            assertEquals("research", catalogue.categories.first { it.id == "research" }.defaultKey)
            val mentoring = s.achievements.single()
            assertNull(mentoring.categoryDefaultKey)
            assertEquals("Қоғамдық жұмыс", mentoring.categoryName)
            val r = assertNotNull(rating.state.value.rating)
            assertNull(r.categories.first { it.categoryId == "social" }.defaultKey)
            assertEquals("research", r.categories.first { it.categoryId == "research" }.defaultKey)

            // What the form does not offer the core still refuses.
            achievements.newAchievement()
            achievements.pickType("research.patent")
            achievements.setTitle("A patent")
            achievements.setAchievedOn(lastWeek.toString())
            achievements.submit().await()
            assertEquals("type_id", achievements.state.value.error?.field)
            assertNotNull(achievements.state.value.editor, "the form stays open")
            Unit
        } finally {
            // the organisation's catalogue is shared by every test: back to the defaults
            TestServer.setRatingCatalogue(defaults)
        }
    }

    @Test fun theCompetencyProfileAppearsOnceACardIsAssignedAndItsSkillsAreRated() = Phone().use { phone ->
        val userId = phone.join()
        val competency = phone.competency()
        competency.refresh().await()
        assertTrue(competency.state.value.noCard, "no card assigned yet, and the screen says so")
        assertEquals(listOf(0, 1, 2, 3, 4), competency.state.value.scale, "the core's scale, which the screen offers")
        assertNull(competency.state.value.profile)

        TestServer.assignCard(userId, "2511-1-005", 5)
        phone.sync.syncNow().await()
        assertNull(phone.sync.state.value.error)
        competency.refresh().await()
        assertFalse(competency.state.value.noCard)
        val profile = assertNotNull(competency.state.value.profile)
        assertEquals("IT-дизайнер", profile.cardName)
        assertEquals(5.toUByte(), profile.level)
        assertEquals("Test Admin", profile.assignedBy)
        assertTrue(profile.functions.all { it.score == null && !it.strong }, "nothing rated yet")

        val function = profile.functions.first { it.skills.size >= 2 }
        val (first, second) = function.skills[0].skillId to function.skills[1].skillId
        fun shown() = competency.state.value.profile!!.functions.first { it.functionId == function.functionId }

        competency.rateSkill(first, 3).await()
        assertNull(competency.state.value.error)
        assertEquals(3.toUByte(), shown().skills[0].own)
        assertEquals(3.0, shown().score)
        assertTrue(shown().strong)
        competency.rateSkill(second, 1).await()
        assertEquals(2.0, shown().score, "the mean of the rated skills")
        assertFalse(shown().strong)

        // Off the scale: refused by the core, shown under that skill, nothing changes.
        competency.rateSkill(second, competency.state.value.scale.max() + 1).await()
        assertEquals(UiError(ErrorKey.INVALID_OUT_OF_RANGE, field = "score"), competency.state.value.error?.copy(detail = null))
        assertEquals(second, competency.state.value.errorSkillId)
        assertEquals(1.toUByte(), shown().skills[1].own)
        competency.rateSkill(second, -1).await()
        assertEquals(ErrorKey.INVALID_OUT_OF_RANGE, competency.state.value.error?.key)
        competency.dismissError()
        assertNull(competency.state.value.errorSkillId)

        // The manager rates the first skill higher; their score counts before the person's own.
        phone.sync.syncNow().await()
        TestServer.rateSkill(userId, first, 4)
        phone.sync.syncNow().await()
        assertNull(phone.sync.state.value.error)
        competency.refresh().await()
        val managed = shown().skills[0]
        assertEquals(3.toUByte(), managed.own)
        assertEquals(4.toUByte(), managed.manager)
        assertEquals("Test Admin", managed.managerName)
        assertEquals(2.5, shown().score)
        assertFalse(shown().strong)
    }
}
