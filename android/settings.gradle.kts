// Qamqor for Android: a thin Compose app (:app) over a pure-Kotlin state module (:state), both over the
// Kotlin bindings generated from the Rust core (see README.md).
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "qamqor"
include(":app", ":state")
