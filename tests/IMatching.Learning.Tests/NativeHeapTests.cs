namespace IMatching.Learning.Tests;

public class NativeHeapTests
{
    [Fact]
    public void Glibc_takes_the_setting_on_linux()
    {
        // Debian and Ubuntu (the supported systems, CI included) use glibc, whose mallopt accepts both parameters.
        Assert.Equal(OperatingSystem.IsLinux(), NativeHeap.KeepFreedMemory());
        Assert.False(NativeHeap.LargeBlocksMapped);
    }

    [Fact]
    public void Large_blocks_get_mappings_of_their_own_only_where_those_fault_in_huge_pages()
    {
        // This process was not restarted with huge pages unless its environment asked: either way the setting follows.
        Assert.Equal(OperatingSystem.IsLinux(), NativeHeap.KeepFreedMemory(mapLargeBlocks: true));
        Assert.Equal(HugePages.InEffect(), NativeHeap.LargeBlocksMapped);
        // Back to what the rest of this test assembly runs with (NativeHeapSetup).
        Assert.Equal(OperatingSystem.IsLinux(), NativeHeap.KeepFreedMemory());
    }
}
