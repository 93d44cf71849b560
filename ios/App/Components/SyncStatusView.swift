import QamqorCore
import QamqorModels
import SwiftUI

/// One line under the navigation bar: pending changes, last sync, or the error with a retry.
/// It never blocks anything: everything is already saved on the phone.
struct SyncStatusView: View {
    @ObservedObject var sync: SyncModel
    var onSignIn: () -> Void
    @EnvironmentObject private var settings: SettingsModel
    private var s: Localizer { settings.strings }

    var body: some View {
        HStack(spacing: 8) {
            Image(systemName: symbol)
                .foregroundStyle(tint)
            Text(text)
                .font(.footnote)
                .foregroundStyle(.secondary)
                .lineLimit(2)
            Spacer(minLength: 0)
            action
        }
        .padding(.horizontal)
        .padding(.vertical, 6)
        .background(.bar)
        .task { await sync.refresh() }
    }

    private var text: String {
        switch sync.badge {
        case .localOnly:
            return s["sync.local_only"]
        case .signInNeeded:
            return s["sync.sign_in_needed"]
        case let .syncing(progress):
            guard let p = progress else { return s["sync.syncing"] }
            switch p.phase {
            case .pushing: return s.format("sync.phase.pushing", "\(p.pushed)", "\(p.toPush)")
            case .pulling: return s.format("sync.phase.pulling", "\(p.pulled)")
            case .waitingToRetry: return s.format("sync.phase.waiting_to_retry", s.number(Double(p.retryInMs) / 1000))
            }
        case let .offline(pending):
            return pending == 0 ? s["sync.offline"] : s.format("sync.offline_pending", "\(pending)")
        case let .failed(message, pending, _):
            let waiting = pending == 0 ? "" : " " + s.format("sync.pending", "\(pending)")
            return s.message(message) + waiting
        case let .pending(count):
            return s.format("sync.pending", "\(count)")
        case let .upToDate(lastSync):
            guard let lastSync else { return s["sync.up_to_date"] }
            let when = lastSync.formatted(.relative(presentation: .named).locale(s.locale))
            return s.format("sync.up_to_date_at", when)
        }
    }

    @ViewBuilder
    private var action: some View {
        switch sync.badge {
        case .signInNeeded:
            Button(s["sync.sign_in"], action: onSignIn)
                .font(.footnote.bold())
        case .syncing:
            Button(s["common.cancel"]) { sync.cancel() }
                .font(.footnote)
        case .failed(_, _, _), .pending:
            Button(s["common.retry"]) { Task { await sync.syncNow() } }
                .font(.footnote.bold())
        default:
            EmptyView()
        }
    }

    private var symbol: String {
        switch sync.badge {
        case .localOnly: return "iphone"
        case .signInNeeded: return "person.crop.circle.badge.exclamationmark"
        case .syncing: return "arrow.triangle.2.circlepath"
        case .offline: return "wifi.slash"
        case .failed: return "exclamationmark.icloud"
        case .pending: return "icloud.and.arrow.up"
        case .upToDate: return "checkmark.icloud"
        }
    }

    private var tint: Color {
        switch sync.badge {
        case .failed, .signInNeeded: return .orange
        case .upToDate: return .green
        default: return .secondary
        }
    }
}

/// A dismissible line for the last action's error (the form keeps what was typed).
struct ErrorBanner: View {
    let error: ModelError
    var onDismiss: (() -> Void)?
    @EnvironmentObject private var settings: SettingsModel

    var body: some View {
        HStack(alignment: .top, spacing: 8) {
            Image(systemName: "exclamationmark.circle")
                .foregroundStyle(.orange)
            Text(settings.strings.message(error.message))
                .font(.callout)
                .frame(maxWidth: .infinity, alignment: .leading)
            if let onDismiss {
                Button(action: onDismiss) {
                    Image(systemName: "xmark")
                }
                .buttonStyle(.borderless)
                .accessibilityLabel(settings.strings["common.close"])
            }
        }
        .padding(12)
        .background(Color.orange.opacity(0.12), in: RoundedRectangle(cornerRadius: 10))
    }
}

/// The full-screen states of a screen's data: a spinner, or the error with a retry.
struct LoadFailedView: View {
    let error: ModelError
    var retry: () async -> Void
    @EnvironmentObject private var settings: SettingsModel

    var body: some View {
        VStack(spacing: 12) {
            Text(settings.strings.message(error.message))
                .multilineTextAlignment(.center)
            Button(settings.strings["common.retry"]) { Task { await retry() } }
                .buttonStyle(.bordered)
        }
        .padding()
    }
}
