# Host tests of the ELF parser and the boot-image (cpio) reader.
