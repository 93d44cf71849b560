// The state holders: pure Kotlin (no Android), StateFlow and coroutines over the generated bindings.
// Tested on the JVM against the real core by scripts/test-kotlin.sh (see ../README.md).
plugins {
    alias(libs.plugins.kotlin.jvm)
}

kotlin {
    jvmToolchain(17)
    // The Kotlin bindings, generated from the built core by :app:buildRustCore (never committed).
    sourceSets.named("main") { kotlin.srcDir(rootProject.layout.buildDirectory.dir("generated/uniffi/kotlin")) }
}

tasks.named("compileKotlin") { dependsOn(":app:buildRustCore") }

dependencies {
    api(libs.kotlinx.coroutines.core)
    // The JVM jar to compile against; the app ships JNA's Android AAR instead.
    compileOnly(libs.jna)

    testImplementation(libs.jna)
    testImplementation(libs.junit)
    testImplementation(libs.kotlin.test.junit)
}

// The tests load the core built for this machine and talk to a real sync server: run them with
// scripts/test-kotlin.sh, which builds both and sets QAMQOR_TEST_* (see ../README.md). Under Gradle
// they need the same: QAMQOR_HOST_LIB_DIR (folder of libqamqor_ffi.so built for the host) and a server.
tasks.test {
    val repo = rootProject.rootDir.parentFile
    systemProperty("jna.library.path", System.getenv("QAMQOR_HOST_LIB_DIR") ?: File(repo, "target/release").path)
    systemProperty("qamqor.android.dir", rootProject.rootDir.path)
    onlyIf("QAMQOR_TEST_SERVER_URL is set (scripts/test-kotlin.sh starts the server)") { System.getenv("QAMQOR_TEST_SERVER_URL") != null }
}
