package kz.qamqor.app.ui

import androidx.annotation.StringRes
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ArrowBack
import androidx.compose.material.icons.automirrored.filled.List
import androidx.compose.material.icons.filled.DateRange
import androidx.compose.material.icons.filled.Email
import androidx.compose.material.icons.filled.Favorite
import androidx.compose.material.icons.filled.Home
import androidx.compose.material.icons.filled.Lock
import androidx.compose.material.icons.filled.Person
import androidx.compose.material3.Badge
import androidx.compose.material3.BadgedBox
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.navigation.NavHostController
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.currentBackStackEntryAsState
import androidx.navigation.compose.rememberNavController
import kz.qamqor.app.AppGraph
import kz.qamqor.app.R
import kz.qamqor.app.ui.common.ErrorBanner
import kz.qamqor.app.ui.common.Loading
import kz.qamqor.app.ui.common.SyncStatusBar
import kz.qamqor.app.ui.feedback.FeedbackRoute
import kz.qamqor.app.ui.growth.GrowthRoute
import kz.qamqor.app.ui.history.HistoryRoute
import kz.qamqor.app.ui.onboarding.OnboardingIntents
import kz.qamqor.app.ui.onboarding.OnboardingScreen
import kz.qamqor.app.ui.privacy.PrivacyRoute
import kz.qamqor.app.ui.profile.ProfileRoute
import kz.qamqor.app.ui.questionnaire.QuestionnaireRoute
import kz.qamqor.app.ui.risk.RiskRoute
import kz.qamqor.app.ui.tasks.TasksRoute
import kz.qamqor.app.ui.today.TodayRoute
import kz.qamqor.state.FeedbackState
import kz.qamqor.state.OnboardingState
import kz.qamqor.state.OnboardingStep

/** The tabs of the bottom bar. */
private enum class Tab(val route: String, @StringRes val title: Int, val icon: ImageVector) {
    TODAY("today", R.string.tab_today, Icons.Filled.Home),
    RISK("risk", R.string.tab_risk, Icons.Filled.Favorite),
    HISTORY("history", R.string.tab_history, Icons.Filled.DateRange),
    TASKS("tasks", R.string.tab_tasks, Icons.AutoMirrored.Filled.List),
    PROFILE("profile", R.string.tab_profile, Icons.Filled.Person),
}

/** The other screens, reached from the tabs. */
private object Routes {
    const val QUESTIONNAIRE = "questionnaire"
    const val FEEDBACK = "feedback"
    const val PRIVACY = "privacy"
    const val ACCOUNT = "account"
    const val GROWTH = "growth"
}

/** The whole app: onboarding until it is done, then the tabs. */
@Composable
fun QamqorApp(graph: AppGraph) {
    graph.openError?.let {
        // the database cannot be opened (a damaged file, a newer app's data): say so, never crash
        Column(Modifier.fillMaxSize().padding(24.dp)) { ErrorBanner(it) }
        return
    }
    val onboarding = rememberHolder { scope, g -> OnboardingState(scope, g.access, g.settings, g.deviceName) { g.language.state.value.language } }
    val state by onboarding.state.collectAsStateWithLifecycle()
    val language by graph.language.state.collectAsStateWithLifecycle()
    when {
        state.loading -> Loading()
        state.step != OnboardingStep.DONE ->
            OnboardingScreen(state, language.language, OnboardingIntents.of(onboarding) { graph.language.select(it) })
        else -> Tabs(graph)
    }
}

@OptIn(ExperimentalMaterial3Api::class)
@Composable
private fun Tabs(graph: AppGraph) {
    val nav = rememberNavController()
    val entry by nav.currentBackStackEntryAsState()
    val route = entry?.destination?.route
    val tab = Tab.entries.firstOrNull { it.route == route }
    val sync by graph.sync.state.collectAsStateWithLifecycle()
    // the unread count in the top bar, and the feedback screen, share one holder
    val feedback = rememberHolder { scope, g -> FeedbackState(scope, g.access) }
    val feedbackState by feedback.state.collectAsStateWithLifecycle()

    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text(stringResource(tab?.title ?: titleOf(route))) },
                navigationIcon = {
                    if (tab == null) {
                        IconButton(onClick = { nav.popBackStack() }) {
                            Icon(Icons.AutoMirrored.Filled.ArrowBack, contentDescription = stringResource(R.string.action_back))
                        }
                    }
                },
                actions = {
                    IconButton(onClick = { nav.navigate(Routes.FEEDBACK) }) {
                        BadgedBox(badge = { if (feedbackState.unread > 0) Badge { Text("${feedbackState.unread}") } }) {
                            Icon(Icons.Filled.Email, contentDescription = stringResource(R.string.feedback_title))
                        }
                    }
                    IconButton(onClick = { nav.navigate(Routes.PRIVACY) }) {
                        Icon(Icons.Filled.Lock, contentDescription = stringResource(R.string.privacy_title))
                    }
                },
            )
        },
        bottomBar = {
            NavigationBar {
                Tab.entries.forEach { t ->
                    NavigationBarItem(
                        selected = t == tab,
                        onClick = { nav.switchTo(t.route) },
                        icon = { Icon(t.icon, contentDescription = null) },
                        label = { Text(stringResource(t.title), style = MaterialTheme.typography.labelSmall, maxLines = 1) },
                    )
                }
            }
        },
    ) { padding ->
        Column(Modifier.padding(padding)) {
            if (route != Routes.ACCOUNT) {
                SyncStatusBar(sync, onRetry = { graph.sync.retry() }, onSignIn = { nav.navigate(Routes.ACCOUNT) })
            }
            NavHost(nav, startDestination = Tab.TODAY.route, modifier = Modifier.fillMaxSize()) {
                composable(Tab.TODAY.route) { TodayRoute(onOpenQuestionnaire = { nav.navigate(Routes.QUESTIONNAIRE) }) }
                composable(Tab.RISK.route) {
                    RiskRoute(onOpenQuestionnaire = { nav.navigate(Routes.QUESTIONNAIRE) }, onOpenProfile = { nav.switchTo(Tab.PROFILE.route) })
                }
                composable(Tab.HISTORY.route) { HistoryRoute() }
                composable(Tab.TASKS.route) { TasksRoute() }
                composable(Tab.PROFILE.route) {
                    ProfileRoute(
                        onOpenPrivacy = { nav.navigate(Routes.PRIVACY) },
                        onOpenGrowth = { nav.navigate(Routes.GROWTH) },
                        onSignIn = { nav.navigate(Routes.ACCOUNT) },
                    )
                }
                composable(Routes.QUESTIONNAIRE) { QuestionnaireRoute(onDone = { nav.popBackStack() }) }
                composable(Routes.FEEDBACK) { FeedbackRoute(feedback) }
                composable(Routes.PRIVACY) { PrivacyRoute() }
                composable(Routes.ACCOUNT) { AccountRoute(graph, onDone = { nav.popBackStack() }) }
                composable(Routes.GROWTH) { GrowthRoute() }
            }
        }
    }
}

/** Signing in (or joining) later, from the app, after starting without an account. */
@Composable
private fun AccountRoute(graph: AppGraph, onDone: () -> Unit) {
    val holder = rememberHolder { scope, g -> OnboardingState(scope, g.access, g.settings, g.deviceName, later = true) { g.language.state.value.language } }
    val state by holder.state.collectAsStateWithLifecycle()
    val language by graph.language.state.collectAsStateWithLifecycle()
    LaunchedEffect(state.step) { if (state.step == OnboardingStep.DONE) onDone() }
    if (state.step == OnboardingStep.DONE) return
    OnboardingScreen(state, language.language, OnboardingIntents.of(holder) { graph.language.select(it) }, signingInLater = true)
}

@StringRes
private fun titleOf(route: String?): Int = when (route) {
    Routes.QUESTIONNAIRE -> R.string.questionnaire_title
    Routes.FEEDBACK -> R.string.feedback_title
    Routes.PRIVACY -> R.string.privacy_title
    Routes.ACCOUNT -> R.string.action_sign_in
    Routes.GROWTH -> R.string.growth_title
    else -> R.string.app_name
}

/** Goes to a tab, keeping one copy of each tab on the back stack. */
private fun NavHostController.switchTo(route: String) = navigate(route) {
    popUpTo(Tab.TODAY.route) { saveState = true }
    launchSingleTop = true
    restoreState = true
}
