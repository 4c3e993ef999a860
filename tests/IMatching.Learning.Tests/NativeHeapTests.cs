namespace IMatching.Learning.Tests;

public class NativeHeapTests
{
    [Fact]
    public void Glibc_takes_the_setting_on_linux()
    {
        // Debian and Ubuntu (the supported systems, CI included) use glibc, whose mallopt accepts both parameters.
        Assert.Equal(OperatingSystem.IsLinux(), NativeHeap.KeepFreedMemory());
    }
}
