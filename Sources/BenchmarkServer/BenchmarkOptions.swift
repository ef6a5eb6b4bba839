#if canImport(Glibc)
import Glibc
#endif

/// The benchmark server's few flags, read without a parser library to keep the binary minimal.
struct BenchmarkOptions {
    var port = 18085
    var helloPath = "../shared/anchors/static/hello.html"
    var loops: Int?

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            switch flag {
            case "--port": port = iterator.next().flatMap { Int($0) } ?? port
            case "--hello": helloPath = iterator.next() ?? helloPath
            case "--loops": loops = iterator.next().flatMap { Int($0) }
            default:
                print("usage: velkommen-bench-server --port PORT --hello FILE [--loops N]")
                exit(2)
            }
        }
    }
}

/// The bytes of a file, or exit with a message.
func readWholeFile(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else {
        print("cannot open \(path)")
        exit(1)
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count == 0 { break }
        bytes += chunk[..<count]
    }
    return bytes
}
