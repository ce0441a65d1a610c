using System.Buffers.Binary;
using System.Text;

namespace Robotics.Torch.Native;

/// <summary>
/// Reads and edits the GNU symbol-version requirements (.gnu.version_r) of a 64-bit little-endian
/// ELF shared object. Used to mark one required version (e.g. GLIBCXX_3.4.32) as weak, which turns
/// the dynamic loader's hard failure into a warning when the system library lacks that version.
/// </summary>
public static class ElfSymbolVersionPatcher
{
    /// <summary>VER_FLG_WEAK in elf.h: a missing weak version is reported, not fatal.</summary>
    public const ushort VerFlagWeak = 0x2;

    private const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary>Lists every (library, version, flags, file offset of vna_flags) requirement.</summary>
    public static IReadOnlyList<VersionRequirement> ReadRequirements(ReadOnlySpan<byte> elf, string fileName = "<elf>")
    {
        var requirements = new List<VersionRequirement>();
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException($"{fileName}: not an ELF file (bad magic).");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"{fileName}: only 64-bit little-endian ELF is supported (class {elf[4]}, data {elf[5]}).");

        ulong shoff = ReadU64(elf, 0x28, fileName);
        ushort shentsize = ReadU16(elf, 0x3A, fileName);
        ushort shnum = ReadU16(elf, 0x3C, fileName);
        if (shentsize < 64)
            throw new InvalidDataException($"{fileName}: section header entry size {shentsize} is too small.");

        for (int i = 0; i < shnum; i++)
        {
            int sh = Checked(shoff + (ulong)i * shentsize, 64, elf.Length, fileName, "section header");
            if (ReadU32(elf, sh + 4, fileName) != ShtGnuVerneed)
                continue;

            ulong offset = ReadU64(elf, sh + 0x18, fileName);
            ulong size = ReadU64(elf, sh + 0x20, fileName);
            uint link = ReadU32(elf, sh + 0x28, fileName);
            uint count = ReadU32(elf, sh + 0x2C, fileName); // sh_info = number of Verneed entries
            Checked(offset, size, elf.Length, fileName, ".gnu.version_r");

            int strSh = Checked(shoff + (ulong)link * shentsize, 64, elf.Length, fileName, "string table header");
            ulong strOff = ReadU64(elf, strSh + 0x18, fileName);
            ulong strSize = ReadU64(elf, strSh + 0x20, fileName);
            Checked(strOff, strSize, elf.Length, fileName, "string table");

            ulong need = offset;
            for (uint n = 0; n < count; n++)
            {
                int vn = Checked(need, 16, elf.Length, fileName, "Verneed");
                ushort auxCount = ReadU16(elf, vn + 2, fileName);
                uint file = ReadU32(elf, vn + 4, fileName);
                uint auxOff = ReadU32(elf, vn + 8, fileName);
                uint next = ReadU32(elf, vn + 12, fileName);
                string library = ReadString(elf, strOff, strSize, file, fileName);

                ulong aux = need + auxOff;
                for (int a = 0; a < auxCount; a++)
                {
                    int va = Checked(aux, 16, elf.Length, fileName, "Vernaux");
                    ushort flags = ReadU16(elf, va + 4, fileName);
                    uint name = ReadU32(elf, va + 8, fileName);
                    uint auxNext = ReadU32(elf, va + 12, fileName);
                    requirements.Add(new VersionRequirement(library, ReadString(elf, strOff, strSize, name, fileName), flags, va + 4));
                    if (auxNext == 0) break;
                    aux += auxNext;
                }

                if (next == 0) break;
                need += next;
            }
        }

        return requirements;
    }

    /// <summary>
    /// Sets VER_FLG_WEAK on every requirement of <paramref name="version"/> in place.
    /// Returns how many entries were changed (0 when already weak or absent).
    /// </summary>
    public static int MarkVersionWeak(Span<byte> elf, string version, string fileName = "<elf>")
    {
        int changed = 0;
        foreach (var requirement in ReadRequirements(elf, fileName))
        {
            if (requirement.Version != version || (requirement.Flags & VerFlagWeak) != 0)
                continue;
            BinaryPrimitives.WriteUInt16LittleEndian(elf.Slice(requirement.FlagsOffset, 2), (ushort)(requirement.Flags | VerFlagWeak));
            changed++;
        }

        return changed;
    }

    private static int Checked(ulong offset, ulong length, int fileLength, string fileName, string what)
    {
        if (offset > (ulong)fileLength || length > (ulong)fileLength - offset)
            throw new InvalidDataException($"{fileName}: {what} at offset {offset} (+{length}) lies outside the file ({fileLength} bytes); the file is truncated or corrupt.");
        return (int)offset;
    }

    private static ushort ReadU16(ReadOnlySpan<byte> b, int at, string f) => BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(Checked((ulong)at, 2, b.Length, f, "field"), 2));
    private static uint ReadU32(ReadOnlySpan<byte> b, int at, string f) => BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(Checked((ulong)at, 4, b.Length, f, "field"), 4));
    private static ulong ReadU64(ReadOnlySpan<byte> b, int at, string f) => BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(Checked((ulong)at, 8, b.Length, f, "field"), 8));

    private static string ReadString(ReadOnlySpan<byte> elf, ulong tableOffset, ulong tableSize, uint index, string fileName)
    {
        if (index >= tableSize)
            throw new InvalidDataException($"{fileName}: string index {index} is outside the string table ({tableSize} bytes).");
        var s = elf.Slice((int)(tableOffset + index), (int)(tableSize - index));
        int end = s.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? s : s[..end]);
    }
}

/// <summary>One Vernaux entry: <paramref name="Library"/> must provide <paramref name="Version"/>.</summary>
public sealed record VersionRequirement(string Library, string Version, ushort Flags, int FlagsOffset)
{
    public bool IsWeak => (Flags & ElfSymbolVersionPatcher.VerFlagWeak) != 0;
}
