import Foundation

/// A ZIP archive of files stored without compression: what a `.pkpass` is. A pass is a few small
/// files (JSON and PNGs that are compressed already), so storing is enough and needs no zlib.
enum StoredZip {
    static func archive(_ files: [(name: String, data: Data)]) -> Data {
        var output = Data()
        var central = Data()
        for file in files {
            let name = Data(file.name.utf8)
            let crc = CRC32.checksum(file.data)
            let offset = UInt32(output.count)
            // Local file header: version 1.0, no flags, stored, 1980-01-01 00:00 (the pass's time is in pass.json).
            output.append(le32: 0x0403_4b50)
            output.append(le16: 10)
            output.append(le16: 0)
            output.append(le16: 0)
            output.append(le16: 0)
            output.append(le16: 0x21)
            output.append(le32: crc)
            output.append(le32: UInt32(file.data.count))
            output.append(le32: UInt32(file.data.count))
            output.append(le16: UInt16(name.count))
            output.append(le16: 0)
            output.append(name)
            output.append(file.data)
            central.append(le32: 0x0201_4b50)
            central.append(le16: 20)
            central.append(le16: 10)
            central.append(le16: 0)
            central.append(le16: 0)
            central.append(le16: 0)
            central.append(le16: 0x21)
            central.append(le32: crc)
            central.append(le32: UInt32(file.data.count))
            central.append(le32: UInt32(file.data.count))
            central.append(le16: UInt16(name.count))
            central.append(contentsOf: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
            central.append(le32: offset)
            central.append(name)
        }
        let centralOffset = UInt32(output.count)
        output.append(central)
        output.append(le32: 0x0605_4b50)
        output.append(le16: 0)
        output.append(le16: 0)
        output.append(le16: UInt16(files.count))
        output.append(le16: UInt16(files.count))
        output.append(le32: UInt32(central.count))
        output.append(le32: centralOffset)
        output.append(le16: 0)
        return output
    }
}

/// CRC-32 (IEEE 802.3, reflected), as ZIP checks each file with.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

extension Data {
    mutating func append(le16 value: UInt16) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
    mutating func append(le32 value: UInt32) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
}
