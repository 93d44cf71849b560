/// What a screen shows while its data loads: a spinner, the data, or what went wrong.
public enum LoadState<Value> {
    case loading
    case loaded(Value)
    case failed(ModelError)

    /// The loaded value, if any.
    public var value: Value? {
        if case .loaded(let v) = self { return v }
        return nil
    }

    /// The error, if loading failed.
    public var error: ModelError? {
        if case .failed(let e) = self { return e }
        return nil
    }
}

extension LoadState: Equatable where Value: Equatable {}
extension LoadState: Sendable where Value: Sendable {}

extension Result {
    /// The failure, if any.
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
