// libFuzzer target: a classifier model file as `serve --model` and `eval classify --load` read it;
// a model that loads must classify and write back the same bytes. Built against ResponseDispatch.
import Foundation
import ResponseDispatch

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let data = Data(bytes: start, count: count)
    guard let model = try? TextClassifier(serialized: data) else { return 0 }
    _ = model.predict("路灯不亮 the street light is out", top: 3)
    let written = model.serialized()
    let again = (try? TextClassifier(serialized: written))?.serialized()
    if again != written {
        print("input \(data.count) bytes, written \(written.count), written again \(again?.count ?? -1)")
        if let again { print("first difference at", zip(written, again).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1) }
        print(String(decoding: written.prefix(200), as: UTF8.self))
    }
    precondition(again == written, "a loaded model does not write back the same bytes")
    return 0
}
