import java.util.Properties

plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

android {
    namespace = "kz.qamqor.app"
    compileSdk = 35

    defaultConfig {
        applicationId = "kz.qamqor.app"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        // the ABIs scripts/build-android-core.sh builds the core for
        ndk { abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64") }
        // English, Kazakh and Russian only (res/xml/locales_config.xml lists them for the system)
        resourceConfigurations += listOf("en", "kk", "ru")
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    buildFeatures { compose = true }
}

kotlin { jvmToolchain(17) }

dependencies {
    implementation(project(":state"))
    // JNA for Android: the AAR carries libjnidispatch.so for every ABI
    implementation("net.java.dev.jna:jna:${libs.versions.jna.get()}@aar")

    implementation(libs.kotlinx.coroutines.android)
    implementation(platform(libs.androidx.compose.bom))
    implementation(libs.androidx.compose.ui)
    implementation(libs.androidx.compose.ui.tooling.preview)
    implementation(libs.androidx.compose.material3)
    implementation(libs.androidx.compose.material.icons.core)
    implementation(libs.androidx.activity.compose)
    implementation(libs.androidx.appcompat)
    implementation(libs.androidx.core.ktx)
    implementation(libs.androidx.lifecycle.runtime.compose)
    implementation(libs.androidx.lifecycle.viewmodel.compose)
    implementation(libs.androidx.navigation.compose)
    implementation(libs.androidx.work.runtime)
    implementation(libs.androidx.datastore.preferences)
    debugImplementation(libs.androidx.compose.ui.tooling)
}

/** The Qamqor repository: this Gradle project is its android/ folder. */
val repoRoot: File = rootProject.rootDir.parentFile

/** The NDK: ANDROID_NDK_HOME, else the newest NDK of the SDK that Android Studio set up. */
fun ndkHome(): String? {
    System.getenv("ANDROID_NDK_HOME")?.let { return it }
    val local = rootProject.file("local.properties")
    val sdk = if (local.isFile) Properties().apply { local.inputStream().use { load(it) } }.getProperty("sdk.dir") else System.getenv("ANDROID_HOME")
    return sdk?.let { File(it, "ndk").listFiles()?.filter(File::isDirectory)?.maxByOrNull { d -> d.name }?.path }
}

/**
 * Cross-compiles the Rust core for the app's ABIs into src/main/jniLibs (cargo ndk, release) and
 * generates the Kotlin bindings from the built library into the build folder that :state compiles.
 * Neither output is committed (see ../.gitignore). Needs rustup's Android targets, cargo-ndk and the
 * NDK: see ../README.md.
 */
val buildRustCore by tasks.registering(Exec::class) {
    group = "build"
    description = "Builds the Rust core for Android and generates its Kotlin bindings."
    val jniLibs = file("src/main/jniLibs")
    val bindings = rootProject.layout.buildDirectory.dir("generated/uniffi/kotlin").get().asFile
    workingDir = repoRoot
    commandLine("bash", "scripts/build-android-core.sh", "--jni-libs", jniLibs.path, "--bindings", bindings.path)
    ndkHome()?.let { environment("ANDROID_NDK_HOME", it) }
    inputs.files(File(repoRoot, "Cargo.toml"), File(repoRoot, "Cargo.lock"), File(repoRoot, "scripts/build-android-core.sh"))
        .withPropertyName("buildFiles")
    inputs.dir(File(repoRoot, "core")).withPropertyName("core")
    inputs.dir(File(repoRoot, "bindings/src")).withPropertyName("bindingsCrate")
    outputs.dir(jniLibs).withPropertyName("jniLibs")
    outputs.dir(bindings).withPropertyName("bindings")
}

tasks.named("preBuild") { dependsOn(buildRustCore) }
