// scripts/junit/QamqorTestRunner.kt — JUnit 4 runner for the Kotlin binding tests (used by
// scripts/test-kotlin.sh, compiled together with bindings/tests/kotlin/**/*.kt).
//
// Discovers every concrete top-level class under --classes DIR that has a method annotated with
// org.junit.Test (or a class-level @RunWith), runs them all with JUnitCore, prints one line per test and
// the failures' details, and ends with the plain line "<label>: N passed, N failed" (CI reads it).
// Ignored tests and failed assumptions are reported as skipped on the line before.
// Exit status: 0 if every test passed and at least one ran, 1 otherwise.
//
// Usage: java -cp ... kz.qamqor.testrunner.QamqorTestRunnerKt --classes DIR [--label kotlin] [--filter REGEX]
package kz.qamqor.testrunner

import java.io.File
import java.lang.reflect.Modifier
import kotlin.system.exitProcess
import org.junit.runner.Description
import org.junit.runner.JUnitCore
import org.junit.runner.RunWith
import org.junit.runner.notification.Failure
import org.junit.runner.notification.RunListener

private class Tally(private val label: String) : RunListener() {
    val failures = mutableListOf<Failure>()
    private val failed = mutableSetOf<Description>()
    private val skippedSet = mutableSetOf<Description>()
    private val started = mutableMapOf<Description, Long>()
    var passed = 0
        private set
    val skipped get() = skippedSet.size

    override fun testStarted(d: Description) { started[d] = System.nanoTime() }

    override fun testFailure(f: Failure) {
        failures += f
        failed += f.description
        if (f.description !in started) println("  FAIL $label ${f.description.displayName} (${f.message})")
    }

    override fun testAssumptionFailure(f: Failure) { skippedSet += f.description }

    override fun testIgnored(d: Description) {
        skippedSet += d
        println("  SKIP $label ${d.displayName}")
    }

    override fun testFinished(d: Description) {
        val ms = (System.nanoTime() - (started[d] ?: System.nanoTime())) / 1_000_000
        val verdict = when (d) {
            in failed -> "FAIL"
            in skippedSet -> "SKIP"
            else -> { passed++; "ok  " }
        }
        println("  $verdict $label ${d.className}.${d.methodName} ($ms ms)")
    }

    val failedCount get() = failed.size
}

private fun isTestClass(c: Class<*>): Boolean =
    !c.isInterface && !Modifier.isAbstract(c.modifiers) && !c.isAnonymousClass && !c.isMemberClass &&
        (c.isAnnotationPresent(RunWith::class.java) ||
            c.methods.any { it.isAnnotationPresent(org.junit.Test::class.java) })

fun main(args: Array<String>) {
    var dir: File? = null
    var label = "kotlin"
    var filter: Regex? = null
    var i = 0
    while (i < args.size) {
        when (args[i]) {
            "--classes" -> dir = File(args[++i])
            "--label" -> label = args[++i]
            "--filter" -> filter = Regex(args[++i])
            else -> { System.err.println("unknown argument ${args[i]}"); exitProcess(2) }
        }
        i++
    }
    val root = requireNotNull(dir) { "--classes DIR is required" }
    val loader = Thread.currentThread().contextClassLoader
    val classes = root.walkTopDown()
        .filter { it.isFile && it.name.endsWith(".class") && '$' !in it.name }
        .map { it.relativeTo(root).path.removeSuffix(".class").replace(File.separatorChar, '.') }
        .filter { !it.startsWith("kz.qamqor.testrunner.") }
        .filter { filter?.containsMatchIn(it) ?: true }
        .sorted()
        .map { Class.forName(it, false, loader) }
        .filter(::isTestClass)
        .toList()
    println("$label: ${classes.size} test class(es): ${classes.joinToString(" ") { it.name }}")

    val tally = Tally(label)
    val core = JUnitCore()
    core.addListener(tally)
    if (classes.isNotEmpty()) core.run(*classes.toTypedArray())

    for ((n, f) in tally.failures.withIndex()) {
        println("\n${n + 1}) ${f.description.displayName}")
        // the failure and the stack frames outside JUnit / reflection / the JDK
        val lines = f.trace.lines()
        println(lines.first())
        lines.drop(1)
            .filter { it.isNotBlank() }
            .filterNot { l -> listOf("org.junit.", "java.base/", "jdk.internal.", "sun.reflect.", "kotlin.test.").any { it in l } }
            .take(12)
            .forEach { println(it) }
    }
    println()
    if (tally.skipped > 0) println("$label: ${tally.skipped} skipped")
    println("$label: ${tally.passed} passed, ${tally.failedCount} failed")
    exitProcess(if (tally.failedCount == 0 && tally.passed > 0) 0 else 1)
}
