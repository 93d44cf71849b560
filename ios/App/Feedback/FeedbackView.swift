import QamqorCore
import QamqorModels
import SwiftUI

/// Messages from the manager, newest first; opening one marks it read.
struct FeedbackView: View {
    @ObservedObject var model: FeedbackModel
    @EnvironmentObject private var settings: SettingsModel
    @Environment(\.dismiss) private var dismiss
    private var s: Localizer { settings.strings }

    var body: some View {
        NavigationStack {
            Group {
                switch model.state {
                case .loading:
                    ProgressView()
                case let .failed(error):
                    LoadFailedView(error: error) { await model.load() }
                case let .loaded(messages):
                    List {
                        if messages.isEmpty {
                            Text(s["feedback.empty"]).foregroundStyle(.secondary)
                        }
                        ForEach(messages, id: \.id) { message in
                            VStack(alignment: .leading, spacing: 4) {
                                HStack {
                                    if message.readAt == nil {
                                        Circle().fill(Color.accentColor).frame(width: 8, height: 8)
                                    }
                                    Text(s.format("feedback.from", message.fromName)).font(.subheadline.bold())
                                    Spacer()
                                    Text(message.sentAt.formatted(date: .abbreviated, time: .shortened))
                                        .font(.caption)
                                        .foregroundStyle(.secondary)
                                }
                                Text(message.message)
                            }
                            .padding(.vertical, 4)
                            .onAppear {
                                if message.readAt == nil {
                                    Task { await model.markRead(id: message.id) }
                                }
                            }
                        }
                    }
                }
            }
            .navigationTitle(s["feedback.title"])
            .toolbar {
                ToolbarItem(placement: .confirmationAction) {
                    Button(s["common.done"]) { dismiss() }
                }
            }
        }
        .task { await model.load() }
    }
}
