import Mustache

/// The Mustache templates under `Templates/` (a layout, partials, one template per page), loaded once.
/// Values are HTML-escaped by default; only HTML that Velkommen made itself (rendered Markdown) is
/// inserted raw, with triple braces.
public struct TemplateRenderer: Sendable {
    public enum RenderError: Error, CustomStringConvertible {
        case unknownTemplate(String)
        case unreadable(String)

        public var description: String {
            switch self {
            case .unknownTemplate(let name): "no template named \(name)"
            case .unreadable(let reason): "cannot load templates: \(reason)"
            }
        }
    }

    private let library: MustacheLibrary

    /// Loads every `.mustache` file under `directory`; a file's name (without extension, with its
    /// subfolder) is its template and partial name.
    public init(directory: String) async throws {
        do {
            library = try await MustacheLibrary(directory: directory)
        } catch let error as MustacheLibrary.ParserError {
            throw RenderError.unreadable("\(error.filename): \(error.error) at line \(error.context.lineNumber)")
        }
    }

    public init(library: MustacheLibrary) { self.library = library }

    public func render(_ name: String, _ context: [String: Any]) throws -> String {
        guard let output = library.render(context, withTemplate: name) else { throw RenderError.unknownTemplate(name) }
        return output
    }

    public func hasTemplate(_ name: String) -> Bool { library.getTemplate(named: name) != nil }
}
