// The models publish their state with Combine's ObservableObject and @Published (iOS 16), so
// SwiftUI views re-render when it changes. Combine does not exist on Linux, where the models are
// compiled and tested against the real core: there, this file gives the same spelling a plain
// stored property, and tests read the state after awaiting each intent.
#if canImport(Combine)
import Combine
#else
/// Linux stand-in for Combine's protocol: nothing observes the models there but the tests.
public protocol ObservableObject: AnyObject {}

/// Linux stand-in for Combine's `@Published`: a plain stored value.
@propertyWrapper
public struct Published<Value> {
    public var wrappedValue: Value
    public init(wrappedValue: Value) { self.wrappedValue = wrappedValue }
}
#endif
