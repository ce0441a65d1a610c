using System.Diagnostics;
using Robotics.Torch.Native;

namespace Robotics.Torch.Tests;

public sealed class ElfSymbolVersionPatcherTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("robotics-elf-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string TorchSharpLibrary() =>
        NativeLibraryLocator.Find(NativeLibraryLocator.TorchSharpLibrary)
        ?? throw new FileNotFoundException("libLibTorchSharp.so is not beside the test assembly");

    [Fact]
    public void ReadRequirements_FindsTheGlibcxxRequirementsOfTorchSharp()
    {
        var requirements = ElfSymbolVersionPatcher.ReadRequirements(File.ReadAllBytes(TorchSharpLibrary()));

        var glibcxx = requirements.Where(r => r.Library == "libstdc++.so.6").Select(r => r.Version).ToList();
        Assert.Contains("GLIBCXX_3.4.32", glibcxx);
        Assert.Contains("GLIBCXX_3.4", glibcxx);
        Assert.Contains(requirements, r => r.Library == "libc.so.6" && r.Version.StartsWith("GLIBC_2.", StringComparison.Ordinal));
        Assert.All(requirements.Where(r => r.Version == "GLIBCXX_3.4.32"), r => Assert.False(r.IsWeak));
    }

    [Fact]
    public void PatchedCopy_SetsOnlyTheWeakFlagOfThatVersion_AndLeavesTheOriginalAlone()
    {
        string original = TorchSharpLibrary();
        byte[] before = File.ReadAllBytes(original);

        string patched = new PatchedLibraryCache(_folder).GetOrCreateWeakened(original, "GLIBCXX_3.4.32");

        Assert.StartsWith(_folder, patched, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(original));
        byte[] after = File.ReadAllBytes(patched);
        Assert.Equal(before.Length, after.Length);

        var target = ElfSymbolVersionPatcher.ReadRequirements(before).Single(r => r.Version == "GLIBCXX_3.4.32");
        var differing = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        // vna_flags is a little-endian u16; setting bit 0x2 changes exactly its low byte.
        Assert.Equal([target.FlagsOffset], differing);
        Assert.Equal(before[target.FlagsOffset] | ElfSymbolVersionPatcher.VerFlagWeak, after[target.FlagsOffset]);

        var patchedRequirements = ElfSymbolVersionPatcher.ReadRequirements(after);
        Assert.True(patchedRequirements.Single(r => r.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.All(patchedRequirements.Where(r => r.Version != "GLIBCXX_3.4.32"), r => Assert.False(r.IsWeak));
    }

    [Fact]
    public void PatchedCopy_IsSeenAsWeakByReadelf()
    {
        // binutils reads the same table independently of our parser.
        string patched = new PatchedLibraryCache(_folder).GetOrCreateWeakened(TorchSharpLibrary(), "GLIBCXX_3.4.32");
        var psi = new ProcessStartInfo("readelf", ["-V", "-W", patched]) { RedirectStandardOutput = true };
        using var readelf = Process.Start(psi)!;
        string output = readelf.StandardOutput.ReadToEnd();
        readelf.WaitForExit();

        var line = output.Split('\n').Single(l => l.Contains("Name: GLIBCXX_3.4.32", StringComparison.Ordinal));
        Assert.Contains("Flags: WEAK", line);
        Assert.DoesNotContain(output.Split('\n'), l => l.Contains("Name: GLIBCXX_3.4.30", StringComparison.Ordinal) && l.Contains("WEAK", StringComparison.Ordinal));
    }

    [Fact]
    public void MarkVersionWeak_IsIdempotent()
    {
        byte[] bytes = File.ReadAllBytes(TorchSharpLibrary());
        Assert.Equal(1, ElfSymbolVersionPatcher.MarkVersionWeak(bytes, "GLIBCXX_3.4.32"));
        byte[] once = bytes.ToArray();
        Assert.Equal(0, ElfSymbolVersionPatcher.MarkVersionWeak(bytes, "GLIBCXX_3.4.32"));
        Assert.Equal(once, bytes);
    }

    [Fact]
    public void CacheReusesAnExistingCopy()
    {
        var cache = new PatchedLibraryCache(_folder);
        string first = cache.GetOrCreateWeakened(TorchSharpLibrary(), "GLIBCXX_3.4.32");
        var written = File.GetLastWriteTimeUtc(first);
        string second = cache.GetOrCreateWeakened(TorchSharpLibrary(), "GLIBCXX_3.4.32");
        Assert.Equal(first, second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(second));
    }

    [Fact]
    public void ManyConcurrentCreators_ProduceOneValidCopyAndNoLeftovers()
    {
        string original = TorchSharpLibrary();
        var paths = new string[8];
        Parallel.For(0, paths.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => paths[i] = new PatchedLibraryCache(_folder).GetOrCreateWeakened(original, "GLIBCXX_3.4.32"));

        Assert.Single(paths.Distinct());
        Assert.True(ElfSymbolVersionPatcher.ReadRequirements(File.ReadAllBytes(paths[0])).Single(r => r.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.Empty(Directory.EnumerateFiles(_folder, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void NotAnElf_IsRejectedWithTheFileName()
    {
        var error = Assert.Throws<InvalidDataException>(() => ElfSymbolVersionPatcher.ReadRequirements("hello, world, this is not an ELF file at all......................"u8, "notes.txt"));
        Assert.Contains("notes.txt", error.Message);
        Assert.Contains("ELF", error.Message);
    }

    [Fact]
    public void TruncatedElf_IsRejectedNotCrashed()
    {
        byte[] bytes = File.ReadAllBytes(TorchSharpLibrary());
        var error = Assert.Throws<InvalidDataException>(() => ElfSymbolVersionPatcher.ReadRequirements(bytes.AsSpan(0, bytes.Length / 2), "half.so"));
        Assert.Contains("half.so", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void LibraryWithoutThatRequirement_IsRefused()
    {
        string libc10 = NativeLibraryLocator.Find("libc10.so")!;
        var error = Assert.Throws<InvalidOperationException>(() => new PatchedLibraryCache(_folder).GetOrCreateWeakened(libc10, "GLIBCXX_9.9.99"));
        Assert.Contains("does not require GLIBCXX_9.9.99", error.Message);
    }
}
