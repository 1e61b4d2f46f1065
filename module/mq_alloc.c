// SPDX-License-Identifier: GPL-2.0
/*
 * Message memory: every message is charged to the module's global cap
 * (pcbmq_mem_max) and to the sender's memory cgroup, as load_msg() charges
 * the kernel's. Small messages, the common case, come from a slab cache
 * of their own, so a batch takes all its messages in one slab call and
 * gives them back in one: one pass over the CPU's cached objects rather
 * than one call each. (The cgroup is still charged per object.)
 */
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/percpu_counter.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "mq.h"

/* Object size of the cache; the text may fill what the header leaves. */
#define MQ_SMALL_MSG_SIZE 256
#define MQ_SMALL_TEXT (MQ_SMALL_MSG_SIZE - sizeof(struct mq_msg))

static struct kmem_cache *mq_msg_cache;

/*
 * The bytes charged against pcbmq_mem_max. Each CPU keeps its own part of
 * the count until that reaches MQ_MEM_BATCH, so a send and a receive
 * write only their CPU's counter rather than a line that every queue's
 * calls on every CPU write: the kernel's msg_bytes and msg_hdrs went
 * per-CPU for the same reason. The parts are summed when a charge comes
 * within MQ_MEM_BATCH per CPU of the cap, so the cap stays exact.
 */
#define MQ_MEM_BATCH (64 * 1024)
static struct percpu_counter mq_mem_used;

int pcbmq_alloc_init(void)
{
	int err;

	err = percpu_counter_init(&mq_mem_used, 0, GFP_KERNEL);
	if (err)
		return err;
	/* Only the text is copied to and from user memory. */
	mq_msg_cache = kmem_cache_create_usercopy("pcbmq_msg",
						  MQ_SMALL_MSG_SIZE, 0,
						  SLAB_ACCOUNT,
						  offsetof(struct mq_msg, text),
						  MQ_SMALL_TEXT, NULL);
	if (!mq_msg_cache) {
		percpu_counter_destroy(&mq_mem_used);
		return -ENOMEM;
	}
	return 0;
}

/* After every message is freed (pcbmq_free_all()). */
void pcbmq_alloc_exit(void)
{
	kmem_cache_destroy(mq_msg_cache);
	percpu_counter_destroy(&mq_mem_used);
}

static bool mq_is_small(size_t text)
{
	return text <= MQ_SMALL_TEXT;
}

/*
 * The global cap: no caller may pin more than mem_max bytes. As with one
 * shared counter, the charge is added first and taken back if the total
 * is then over the cap, so two charges racing for the last room may both
 * fail but never both succeed. Far from the cap the CPUs' parts cannot
 * change the answer; within MQ_MEM_BATCH per CPU of it they are summed.
 */
bool pcbmq_mem_charge(size_t charge)
{
	s64 max = min_t(unsigned long, READ_ONCE(pcbmq_mem_max), S64_MAX);

	percpu_counter_add_batch(&mq_mem_used, charge, MQ_MEM_BATCH);
	if (__percpu_counter_compare(&mq_mem_used, max, MQ_MEM_BATCH) <= 0)
		return true;
	percpu_counter_add_batch(&mq_mem_used, -(s64)charge, MQ_MEM_BATCH);
	return false;
}

void pcbmq_mem_uncharge(size_t charge)
{
	percpu_counter_add_batch(&mq_mem_used, -(s64)charge, MQ_MEM_BATCH);
}

/* Exact while no charge or uncharge runs. */
s64 pcbmq_mem_used(void)
{
	return percpu_counter_sum(&mq_mem_used);
}

/* Free a message whose charge the caller returns itself. */
void pcbmq_msg_release(struct mq_msg *msg)
{
	if (mq_is_small(msg->alloc))
		kmem_cache_free(mq_msg_cache, msg);
	else
		kvfree(msg);
}

/* pcbmq_msg_release() for many, small ones in one slab call; may sleep. */
void pcbmq_msg_release_many(struct mq_msg **msgs, u32 n)
{
	u32 i, small = 0;

	for (i = 0; i < n; i++) {
		if (mq_is_small(msgs[i]->alloc))
			msgs[small++] = msgs[i];
		else
			kvfree(msgs[i]);
	}
	if (small)
		kmem_cache_free_bulk(mq_msg_cache, small, (void **)msgs);
}

void pcbmq_msg_free(struct mq_msg *msg)
{
	pcbmq_mem_uncharge(mq_msg_charge(msg->alloc));
	pcbmq_msg_release(msg);
}

static void mq_msg_drop(struct mq_msg *msg, bool precharged)
{
	if (precharged)
		pcbmq_msg_release(msg);
	else
		pcbmq_msg_free(msg);
}

/*
 * Room for @n small messages (text <= pcbmq_small_text() bytes each) in one
 * slab call, into @mem; false if there was none, and nothing is taken.
 * Each object goes to pcbmq_msg_load() or back through pcbmq_mem_put().
 */
bool pcbmq_mem_get_many(void **mem, u32 n)
{
	/* A count before 6.14, a bool since: non-zero is success in both. */
	return kmem_cache_alloc_bulk(mq_msg_cache, GFP_KERNEL, n, mem);
}

void pcbmq_mem_put(void **mem, u32 n)
{
	if (n)
		kmem_cache_free_bulk(mq_msg_cache, n, mem);
}

/* Give back one object of room, if there is one. */
void pcbmq_mem_put_one(void *mem)
{
	if (mem)
		kmem_cache_free(mq_msg_cache, mem);
}

size_t pcbmq_small_text(void)
{
	return MQ_SMALL_TEXT;
}

/* Memory for a message of @size text bytes: @mem if it fits, else new. */
static struct mq_msg *mq_msg_mem(size_t size, void *mem)
{
	struct mq_msg *msg;

	if (mem && mq_is_small(size))
		return mem;
	pcbmq_mem_put_one(mem);
	if (mq_is_small(size))
		return kmem_cache_alloc(mq_msg_cache, GFP_KERNEL);
	if (size <= PAGE_SIZE - sizeof(*msg))
		return kmalloc(struct_size(msg, text, size),
			       GFP_KERNEL_ACCOUNT);
	return kvmalloc(struct_size(msg, text, size), GFP_KERNEL_ACCOUNT);
}

/*
 * A message with its text unfilled, in @mem if the caller has room from
 * pcbmq_mem_get_many(), else in a new allocation; @mem is used or given
 * back either way. Unless the caller charged the cap for it already
 * (@precharged), charge it here.
 */
static struct mq_msg *mq_msg_alloc(size_t size, bool precharged, void *mem)
{
	struct mq_msg *msg;

	if (!precharged && !pcbmq_mem_charge(mq_msg_charge(size))) {
		pcbmq_mem_put_one(mem);
		return ERR_PTR(-ENOMEM);
	}
	msg = mq_msg_mem(size, mem);
	if (!msg) {
		if (!precharged)
			pcbmq_mem_uncharge(mq_msg_charge(size));
		return ERR_PTR(-ENOMEM);
	}
	msg->size = size;
	msg->alloc = size;
	msg->type = NULL;
	return msg;
}

/* A message holding a copy of @size bytes of user memory at @text. */
struct mq_msg *pcbmq_msg_load(const void __user *text, size_t size, long mtype,
			      bool precharged, void *mem)
{
	struct mq_msg *msg = mq_msg_alloc(size, precharged, mem);

	if (IS_ERR(msg))
		return msg;
	msg->mtype = mtype;
	if (size && copy_from_user(msg->text, text, size)) {
		mq_msg_drop(msg, precharged);
		return ERR_PTR(-EFAULT);
	}
	return msg;
}
