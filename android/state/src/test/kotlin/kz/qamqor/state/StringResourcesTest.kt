package kz.qamqor.state

import java.io.File
import javax.xml.parsers.DocumentBuilderFactory
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kz.qamqor.core.AchievementStatus
import kz.qamqor.core.DataKind
import kz.qamqor.core.FactorKind
import kz.qamqor.core.Language
import kz.qamqor.core.MissingData
import kz.qamqor.core.RatingMethod
import kz.qamqor.core.RiskLevel
import kz.qamqor.core.RiskSuggestion
import kz.qamqor.core.TaskStatus
import kz.qamqor.core.Weekday
import kz.qamqor.core.skillScale
import org.junit.Test
import org.w3c.dom.Element

/**
 * The app's texts in Kazakh, Russian and English (android/app/src/main/res/values{,-kk,-ru}):
 * the same strings in all three, placeholders that agree, a string for every key the state
 * module hands the screens, and nothing the Android resource compiler would refuse.
 */
class StringResourcesTest {
    private val res = File(System.getProperty("qamqor.android.dir") ?: "android", "app/src/main/res")

    /** name -> raw text (plurals: their items joined with "|"). */
    private fun strings(folder: String): Map<String, String> {
        val file = File(res, "$folder/strings.xml")
        assertTrue(file.isFile, "missing $file")
        val doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file)
        val out = linkedMapOf<String, String>()
        val nodes = doc.documentElement.childNodes
        for (i in 0 until nodes.length) {
            val e = nodes.item(i) as? Element ?: continue
            val name = e.getAttribute("name")
            assertTrue(name !in out, "$folder: $name twice")
            out[name] = when (e.tagName) {
                "string" -> e.textContent
                "plurals" -> (0 until e.getElementsByTagName("item").length).joinToString("|") { e.getElementsByTagName("item").item(it).textContent }
                else -> error("$folder: unexpected <${e.tagName}>")
            }
        }
        return out
    }

    private val english by lazy { strings("values") }
    private val translations by lazy { mapOf("kk" to strings("values-kk"), "ru" to strings("values-ru")) }

    @Test fun kazakhRussianAndEnglishHaveTheSameStrings() {
        assertTrue(english.size > 100, "the English strings are there")
        for ((lang, t) in translations) {
            assertEquals(emptySet(), english.keys - t.keys, "missing in values-$lang")
            assertEquals(emptySet(), t.keys - english.keys, "only in values-$lang")
        }
        for ((lang, t) in translations + ("en" to english)) {
            assertEquals(emptyList(), t.filterValues { it.isBlank() }.keys.toList(), "blank in $lang")
        }
    }

    @Test fun placeholdersAgreeAcrossLanguages() {
        val placeholder = Regex("%(\\d+\\$)?[sdf]|%\\.\\d+f|%\\d+\\$\\.\\d+f")
        fun of(s: String) = placeholder.findAll(s).map { it.value }.toSortedSet()
        for ((lang, t) in translations) {
            for ((name, text) in english) {
                assertEquals(of(text), of(t.getValue(name)), "placeholders of $name in $lang")
            }
        }
    }

    @Test fun nothingTheResourceCompilerRefuses() {
        // aapt2 refuses an unescaped apostrophe, and a lone % is read as a broken placeholder
        val strayPercent = Regex("%(?!(\\d+\\$)?[sdf]|%|\\.\\d+f|\\d+\\$\\.\\d+f)")
        for ((lang, t) in translations + ("en" to english)) {
            for ((name, text) in t) {
                assertTrue(!Regex("(?<!\\\\)'").containsMatchIn(text), "unescaped apostrophe in $name ($lang): $text")
                assertTrue(!strayPercent.containsMatchIn(text), "stray % in $name ($lang): $text")
            }
        }
    }

    @Test fun everyStringTheAppUsesExists() {
        // the app cannot be compiled here (no Android SDK): at least every R.string it names must exist
        val sources = File(res.parentFile, "kotlin").walkTopDown().filter { it.extension == "kt" } +
            File(res.parentFile, "AndroidManifest.xml")
        val used = sources.flatMap { f -> Regex("R\\.(string|plurals)\\.(\\w+)|@string/(\\w+)").findAll(f.readText()).map { it.groupValues[2].ifEmpty { it.groupValues[3] } } }.toSet()
        assertTrue(used.size > 100, "found the app's string references")
        assertEquals(emptySet(), used - english.keys, "used by the app but not in values/strings.xml")
    }

    @Test fun everyKeyTheScreensNeedHasAString() {
        val needed = ErrorKey.entries.map { "error_${it.name.lowercase()}" } +
            RiskSuggestion.entries.map { "suggestion_${it.name.lowercase()}" } +
            FactorKind.entries.map { "factor_${it.name.lowercase()}" } +
            FactorKind.entries.map { "factor_value_${it.name.lowercase()}" } +
            DataKind.entries.map { "data_kind_${it.name.lowercase()}" } +
            MissingData.entries.map { "missing_${it.name.lowercase()}" } +
            RiskLevel.entries.map { "risk_level_${it.name.lowercase()}" } +
            TaskStatus.entries.map { "task_status_${it.name.lowercase()}" } +
            Weekday.entries.map { "weekday_${it.name.lowercase()}" } +
            Language.entries.map { "language_${it.name.lowercase()}" } +
            HistoryMetric.entries.map { "metric_${it.name.lowercase()}" } +
            ReminderKind.entries.map { "reminder_${it.name.lowercase()}_title" } +
            ReminderKind.entries.map { "reminder_${it.name.lowercase()}_text" } +
            AchievementStatus.entries.map { "achievement_status_${it.name.lowercase()}" } +
            RatingMethod.entries.map { "rating_method_${it.name.lowercase()}" } +
            defaultCategoryKeys().map { "achievement_category_$it" } +
            defaultTypeKeys().map { "achievement_type_$it" } +
            skillScale().map { "skill_score_${it.toUByte()}" }
        assertEquals(emptyList(), needed.filter { it !in english })
    }

    /** The keys of the default catalogue's categories, from a fresh core (what `categoryName` translates). */
    private fun defaultCategoryKeys(): List<String> = Phone().use { phone ->
        val keys = phone.core.ratingCatalogue().categories.mapNotNull { it.defaultKey }
        assertEquals(listOf("research", "professional", "methodical", "social", "organisational"), keys)
        keys
    }

    /** The keys of the default catalogue's types, from a fresh core (what `typeName` translates). */
    private fun defaultTypeKeys(): List<String> = Phone().use { phone ->
        val types = phone.core.ratingCatalogue().types
        val keys = types.mapNotNull { it.defaultKey }
        assertEquals(types.size, keys.size, "every default type has a key")
        assertTrue(keys.all { Regex("[a-z_]+").matches(it) }, "usable as resource names: $keys")
        keys
    }
}
