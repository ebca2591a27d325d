# The target-side check of /etc/default/grub through a real cmdlet, a real sshd and the target's own
# /bin/sh: an edit whose sourcing would change another variable is refused and nothing is written.
# The target is this machine over a loopback sshd whose every session runs in a private mount
# namespace, where /etc/default, /boot, /var/lib and /usr/local/sbin are the test's own directories
# (a fake update-grub that renders grub.cfg from /etc/default/grub): nothing outside them changes.
Describe 'The target-side sh check of a boot file edit, over SSH' -Tag 'Ssh' {
    BeforeAll {
        Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Fake = Join-Path ([System.IO.Path]::GetTempPath()) "kvmtime-shcheck-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        foreach ($d in 'etc-default', 'boot/grub', 'var-lib', 'sbin') { $null = New-Item -ItemType Directory -Force (Join-Path $Fake $d) }
        $script:Grub = Join-Path $Fake 'etc-default/grub'
        $script:RegenerateLog = Join-Path $Fake 'update-grub.log'
        Set-Content -Path (Join-Path $Fake 'sbin/update-grub') -Value @(
            '#!/bin/sh'
            '. /etc/default/grub'
            "printf 'menuentry test {\n\tlinux /vmlinuz root=/dev/vda1 ro %s %s\n}\n' `"`$GRUB_CMDLINE_LINUX`" `"`$GRUB_CMDLINE_LINUX_DEFAULT`" > /boot/grub/grub.cfg"
            "echo ran >> '$RegenerateLog'"
        )
        $enter = Join-Path $Fake 'enter.sh'
        Set-Content -Path $enter -Value @(
            '#!/bin/sh'
            "exec unshare -m --propagation private /bin/sh -c 'f=`$1"
            'mount --bind "$f/etc-default" /etc/default && mount --bind "$f/boot" /boot && mount --bind "$f/var-lib" /var/lib && mount --bind "$f/sbin" /usr/local/sbin || exit 97'
            'PATH=/usr/local/sbin:$PATH; export PATH'
            "exec /bin/sh -c `"`$SSH_ORIGINAL_COMMAND`"' sh '$Fake'"
        )
        & chmod 755 $enter (Join-Path $Fake 'sbin/update-grub')
        $script:Sshd = Start-TestSshd -ExtraConfig "ForceCommand $enter"
        $script:Target = "127.0.0.1:$($Sshd.Port)"
        $script:Ssh = @{ UserName = 'root'; KeyFilePath = $Sshd.KeyFilePath; KnownHostsPath = $Sshd.KnownHostsPath }
        $script:Limit = @{ MaxCState = 1; Confirm = $false; ErrorAction = 'Stop'; WarningAction = 'SilentlyContinue' }
    }

    AfterAll {
        Stop-TestSshd $Sshd
        Remove-Item -Recurse -Force $Fake -ErrorAction Ignore
    }

    BeforeEach {
        Remove-Item (Join-Path $Fake 'etc-default/*'), $RegenerateLog -Force -ErrorAction Ignore
    }

    It 'edits a plain file in this environment (the control: the environment itself works)' {
        Set-Content -Path $Grub -Value @('GRUB_TIMEOUT=5', 'GRUB_CMDLINE_LINUX="quiet"')

        $result = Set-KernelCStateLimit -ComputerName $Target @Ssh @Limit -PassThru

        $result.Changed | Should -BeTrue
        Get-Content -Raw $Grub | Should -Match 'GRUB_CMDLINE_LINUX="quiet processor\.max_cstate=1'
        Get-Content $RegenerateLog | Should -Be 'ran'
    }

    It 'refuses an edit that would also change another variable, and writes nothing' {
        # Hand-written: a Xen command line copied from GRUB_CMDLINE_LINUX when the file is sourced.
        # KvmTime's own reading edits only GRUB_CMDLINE_LINUX; the target's sh shows that
        # GRUB_CMDLINE_XEN would change with it.
        $before = "GRUB_TIMEOUT=5`nGRUB_CMDLINE_LINUX=`"quiet`"`nGRUB_CMDLINE_XEN=`"`$GRUB_CMDLINE_LINUX dom0_mem=2G`"`n"
        Set-Content -Path $Grub -Value $before -NoNewline

        $refusal = { Set-KernelCStateLimit -ComputerName $Target @Ssh @Limit } | Should -Throw -ErrorId 'BootConfigVerificationFailed*' -PassThru

        $refusal.Exception.Message | Should -Match 'changes variables other than.*GRUB_CMDLINE_XEN'

        Get-Content -Raw $Grub | Should -BeExactly $before
        Get-ChildItem (Join-Path $Fake 'etc-default') | ForEach-Object Name | Should -Be 'grub'
        Test-Path $RegenerateLog | Should -BeFalse
    }
}
