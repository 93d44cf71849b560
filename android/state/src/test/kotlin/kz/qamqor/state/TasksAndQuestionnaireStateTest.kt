package kz.qamqor.state

import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kz.qamqor.core.CbiAnswerKind
import kz.qamqor.core.Language
import kz.qamqor.core.TaskStatus
import org.junit.Test

class TasksAndQuestionnaireStateTest {
    @Test fun theTaskFormShowsWhatTheCoreRefusesOnItsField() = Phone().use { phone ->
        val tasks = phone.tasks()
        tasks.refresh().await()
        assertTrue(tasks.state.value.tasks.isEmpty())

        tasks.newTask()
        tasks.save().await()
        assertEquals(UiError(ErrorKey.INVALID_EMPTY, field = "title"), tasks.state.value.error?.copy(detail = null))
        assertNotNull(tasks.state.value.editor, "the form stays open")

        tasks.editDraft { it.copy(title = "Quarterly report", estimateMinutes = "ninety") }
        tasks.save().await()
        assertEquals(UiError(ErrorKey.INVALID_BAD_FORMAT, field = "estimate_minutes"), tasks.state.value.error)
        tasks.editDraft { it.copy(estimateMinutes = "0") }
        tasks.save().await()
        assertEquals(ErrorKey.INVALID_OUT_OF_RANGE, tasks.state.value.error?.key, "the range is the core's")
        assertEquals("estimate_minutes", tasks.state.value.error?.field)
        tasks.editDraft { it.copy(estimateMinutes = "90", dueDate = "31/12/2026") }
        tasks.save().await()
        assertEquals("due_date", tasks.state.value.error?.field)
        assertEquals(ErrorKey.INVALID_BAD_FORMAT, tasks.state.value.error?.key)

        tasks.editDraft { it.copy(dueDate = "2026-12-31") }
        tasks.save().await()
        assertNull(tasks.state.value.error)
        assertNull(tasks.state.value.editor)
        val task = tasks.state.value.tasks.single()
        assertEquals(90u, task.estimateMinutes)
        assertEquals("2026-12-31", task.dueDate)

        tasks.edit(task)
        assertEquals(TaskDraft(task.id, "Quarterly report", "", "2026-12-31", "90"), tasks.state.value.editor)
        tasks.editDraft { it.copy(title = "Quarterly report v2", notes = "numbers from Q3") }
        tasks.save().await()
        assertEquals(listOf("Quarterly report v2"), tasks.state.value.tasks.map { it.title })
        assertEquals("numbers from Q3", tasks.state.value.tasks.single().notes)

        tasks.setStatus(task.id, TaskStatus.DONE).await()
        assertNotNull(tasks.state.value.tasks.single().completedAt)
        tasks.setFilter(TaskStatus.TODO).await()
        assertTrue(tasks.state.value.tasks.isEmpty())
        tasks.setFilter(TaskStatus.DONE).await()
        assertEquals(1, tasks.state.value.tasks.size)
        tasks.setStatus("no-such-task", TaskStatus.DONE).await()
        assertEquals(ErrorKey.NOT_FOUND, tasks.state.value.error?.key)
    }

    @Test fun theQuestionnaireIsDueInTheAppsLanguageAndScoredByTheCore() = Phone(phoneLanguage = Language.KK).use { phone ->
        phone.language.refresh().await()
        val q = phone.questionnaire()
        q.refresh().await()
        var s = q.state.value
        assertTrue(s.due)
        assertEquals(Language.KK, s.language)
        assertEquals(19, s.items.size)
        assertTrue(s.items.all { it.text.isNotBlank() })
        assertEquals(setOf(CbiAnswerKind.FREQUENCY, CbiAnswerKind.DEGREE), s.labels.keys)
        assertTrue(s.labels.values.all { it.size == 5 })
        assertEquals(List(19) { null }, s.answers)

        (0 until 13).forEach { q.answer(it, 2u) } // the six client items are skipped: not everyone has clients
        q.answer(99, 1u)
        assertEquals(13, q.state.value.answeredCount)
        q.answer(0, 7u)
        q.submit().await()
        assertEquals(ErrorKey.INVALID_OUT_OF_RANGE, q.state.value.error?.key)
        assertTrue(q.state.value.error?.field.orEmpty().startsWith("answers"))
        assertTrue(phone.core.cbiResponses().isEmpty())

        q.answer(0, 2u)
        q.submit().await()
        s = q.state.value
        assertNull(s.error)
        val submitted = assertNotNull(s.submitted)
        assertEquals(50.0, submitted.scores.personal)
        assertNull(submitted.scores.clientRelated)
        assertEquals(submitted, s.lastResponse)
        assertFalse(s.due)
        assertEquals(0, s.answeredCount, "a fresh form for next time")
        q.dismissSubmitted()
        assertNull(q.state.value.submitted)

        val kazakh = s.items.first().text
        phone.language.select(Language.RU).await()
        q.refresh().await()
        assertEquals(Language.RU, q.state.value.language)
        assertNotEquals(kazakh, q.state.value.items.first().text)
    }
}
