import { type DescFile, type DescService, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { ReflectionService } from "@grpc/reflection";

/** The package-definition shape @grpc/reflection reads (it only uses `fileDescriptorProtos`). */
export type ReflectionPackage = ConstructorParameters<typeof ReflectionService>[0];

function collect(file: DescFile, seen: Map<string, DescFile>): void {
  if (seen.has(file.name)) return;
  for (const dep of file.dependencies) collect(dep, seen);
  seen.set(file.name, file);
}

/**
 * Builds what @grpc/reflection needs from protobuf-es descriptors (the files declaring `services`
 * and everything they import), so reflection works without loading .proto files at runtime.
 */
export function reflectionPackage(services: readonly DescService[]): ReflectionPackage {
  const files = new Map<string, DescFile>();
  for (const s of services) collect(s.file, files);
  const fileDescriptorProtos = [...files.values()].map((f) =>
    Buffer.from(toBinary(FileDescriptorProtoSchema, f.proto)),
  );
  const pkg: Record<string, unknown> = {};
  for (const s of services) {
    pkg[s.typeName] = { format: "Protocol Buffer 3 FileDescriptorProto", type: {}, fileDescriptorProtos };
  }
  return pkg as ReflectionPackage;
}
