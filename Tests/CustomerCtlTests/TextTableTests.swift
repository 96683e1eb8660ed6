import Testing
@testable import customerctl

@Suite struct TextTableTests {
    @Test func columnsAlignToTheWidestCellAndTheLastIsNotPadded() {
        var table = TextTable(["ID", "NAME"])
        table.append(["1", "Acme Oy"])
        table.append(["12345", "B"])
        #expect(table.render() == "ID     NAME\n1      Acme Oy\n12345  B\n")
    }

    @Test func aRowWithMoreCellsThanHeadersIsPrintedWhole() {
        var table = TextTable(["ID"])
        table.append(["1", "extra", "more"])
        #expect(table.render() == "ID\n1   extra  more\n")
    }

    @Test func aControlCharacterInACellIsEscaped() {
        var table = TextTable(["NAME"])
        table.append(["a\u{1B}[2Jb"])
        #expect(!table.render().contains("\u{1B}"))
    }
}
