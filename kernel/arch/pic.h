/* The legacy 8259 PICs, which Parley only moves out of the way. */
#ifndef ARCH_PIC_H
#define ARCH_PIC_H

void pic_disable(void);

#endif
